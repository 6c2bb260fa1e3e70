"""Golden values for @wick/core's windowed ops (unfold, fold, conv1d/2d, conv_transpose2d, pad and
the poolings), from real PyTorch. Writes packages/core/golden/conv.json."""
import os
import torch
import torch.nn.functional as F
from common import appender, r, write

torch.manual_seed(0)



cases = []
add = appender(cases)


def unfold(x, **kw): return F.unfold(x, **kw)
def fold(x, **kw): return F.fold(x, **kw)
def conv2d(x, w, b=None, **kw): return F.conv2d(x, w, b, **kw)
def conv1d(x, w, b=None, **kw): return F.conv1d(x, w, b, **kw)
def conv_transpose2d(x, w, b=None, **kw): return F.conv_transpose2d(x, w, b, **kw)
def pad(x, **kw): return F.pad(x, **kw)
def max_pool2d(x, **kw): return F.max_pool2d(x, **kw)
def avg_pool2d(x, **kw): return F.avg_pool2d(x, **kw)
def max_pool1d(x, **kw): return F.max_pool1d(x, **kw)
def avg_pool1d(x, **kw): return F.avg_pool1d(x, **kw)
def adaptive_avg_pool2d(x, **kw): return F.adaptive_avg_pool2d(x, **kw)
def adaptive_avg_pool1d(x, **kw): return F.adaptive_avg_pool1d(x, **kw)
def adaptive_max_pool2d(x, **kw): return F.adaptive_max_pool2d(x, **kw)


add('unfold stride, padding, dilation', unfold, [r(2, 3, 5, 6)], {'kernel_size': [2, 3], 'stride': [1, 2], 'padding': 1, 'dilation': [2, 1]})
add('unfold unbatched', unfold, [r(2, 4, 4)], {'kernel_size': 2})
add('fold overlapping', fold, [r(2, 3 * 2 * 2, 12)], {'output_size': [4, 5], 'kernel_size': 2})
add('fold stride and padding', fold, [r(1, 2 * 3 * 3, 9)], {'output_size': [5, 5], 'kernel_size': 3, 'stride': 2, 'padding': 1})

add('conv2d with bias', conv2d, [r(2, 3, 7, 8), r(4, 3, 3, 3), r(4)], {})
add('conv2d stride 2, padding 1', conv2d, [r(2, 3, 7, 8), r(5, 3, 3, 2), r(5)], {'stride': 2, 'padding': 1})
add('conv2d stride and dilation together', conv2d, [r(1, 2, 11, 10), r(3, 2, 3, 3)], {'stride': [2, 3], 'dilation': 2, 'padding': [1, 2]})
add('conv2d depthwise (groups = channels)', conv2d, [r(2, 3, 6, 6), r(6, 1, 3, 3), r(6)], {'groups': 3, 'padding': 1})
add('conv2d groups 2', conv2d, [r(1, 4, 5, 5), r(6, 2, 2, 2), r(6)], {'groups': 2})
add("conv2d padding 'same', even kernel, dilation", conv2d, [r(1, 2, 7, 6), r(3, 2, 4, 2)], {'padding': 'same', 'dilation': [1, 2]})
add("conv2d padding 'valid'", conv2d, [r(1, 2, 5, 5), r(2, 2, 3, 3)], {'padding': 'valid'})
add('conv2d unbatched', conv2d, [r(3, 6, 6), r(2, 3, 3, 3), r(2)], {})
add('conv2d float64', conv2d, [r(2, 2, 5, 6, dtype=torch.float64), r(3, 2, 2, 3, dtype=torch.float64), r(3, dtype=torch.float64)], {'stride': [1, 2], 'padding': [1, 0]})
add('conv1d groups 2', conv1d, [r(2, 4, 10), r(6, 2, 3), r(6)], {'groups': 2, 'stride': 2, 'padding': 1})
add("conv1d padding 'same', even kernel", conv1d, [r(1, 3, 9), r(2, 3, 4)], {'padding': 'same'})
add('conv_transpose2d stride, padding, output_padding', conv_transpose2d, [r(2, 4, 5, 5), r(4, 3, 3, 3), r(3)], {'stride': 2, 'padding': 1, 'output_padding': 1})
add('conv_transpose2d groups and dilation', conv_transpose2d, [r(1, 4, 4, 3), r(4, 2, 2, 3), r(4)], {'groups': 2, 'dilation': 2})
add('conv_transpose2d output_padding below dilation', conv_transpose2d, [r(1, 2, 3, 3), r(2, 2, 2, 2)], {'dilation': 2, 'output_padding': 1})

add('pad constant', pad, [r(2, 3, 4)], {'pad': [1, 2, 0, 3], 'value': 1.5})
add('pad constant, negative crops', pad, [r(2, 5)], {'pad': [-1, 2]})
add('pad reflect', pad, [r(1, 2, 4, 5)], {'pad': [2, 1, 1, 3], 'mode': 'reflect'})
add('pad replicate', pad, [r(1, 2, 3, 4)], {'pad': [3, 1, 2, 2], 'mode': 'replicate'})
add('pad circular', pad, [r(1, 2, 3, 4)], {'pad': [1, 4, 3, 0], 'mode': 'circular'})

x = r(2, 3, 9, 8)
add('max_pool2d 3, stride 2, padding 1', max_pool2d, [x], {'kernel_size': 3, 'stride': 2, 'padding': 1},
    extra=F.max_pool2d(x, 3, 2, 1, return_indices=True)[1])
x = r(1, 2, 7, 7)
add('max_pool2d ceil_mode, windows starting in the padding', max_pool2d, [x], {'kernel_size': 3, 'stride': 2, 'padding': 1, 'ceil_mode': True},
    extra=F.max_pool2d(x, 3, 2, 1, ceil_mode=True, return_indices=True)[1])
x = r(1, 2, 10, 9)
add('max_pool2d dilation 2, rectangular', max_pool2d, [x], {'kernel_size': [2, 3], 'stride': [1, 2], 'dilation': 2},
    extra=F.max_pool2d(x, [2, 3], [1, 2], 0, 2, return_indices=True)[1])
add('max_pool2d 2 (unbatched)', max_pool2d, [r(3, 6, 6)], {'kernel_size': 2})
add('max_pool1d', max_pool1d, [r(2, 3, 11)], {'kernel_size': 3, 'stride': 2, 'padding': 1, 'ceil_mode': True})
for include in [True, False]:
    add(f'avg_pool2d 3, stride 2, padding 1, count_include_pad {include}', avg_pool2d, [r(2, 2, 8, 7)],
        {'kernel_size': 3, 'stride': 2, 'padding': 1, 'count_include_pad': include})
    add(f'avg_pool2d ceil_mode, count_include_pad {include}', avg_pool2d, [r(1, 2, 7, 6)],
        {'kernel_size': 3, 'stride': 2, 'padding': 1, 'ceil_mode': True, 'count_include_pad': include})
add('avg_pool2d divisor_override', avg_pool2d, [r(1, 2, 6, 6)], {'kernel_size': 2, 'divisor_override': 3})
add('avg_pool2d 4 (the tutorial)', avg_pool2d, [r(2, 10, 4, 4)], {'kernel_size': 4})
add('avg_pool1d', avg_pool1d, [r(2, 3, 10)], {'kernel_size': 4, 'stride': 3, 'padding': 2, 'count_include_pad': False})
add('adaptive_avg_pool2d overlapping windows', adaptive_avg_pool2d, [r(2, 3, 10, 9)], {'output_size': [4, 5]})
add('adaptive_avg_pool2d (3, None)', adaptive_avg_pool2d, [r(1, 2, 7, 5)], {'output_size': [3, None]})
add('adaptive_avg_pool2d 1 (unbatched)', adaptive_avg_pool2d, [r(4, 5, 6)], {'output_size': 1})
add('adaptive_avg_pool1d', adaptive_avg_pool1d, [r(2, 3, 10)], {'output_size': 4})
add('adaptive_avg_pool2d float64', adaptive_avg_pool2d, [r(1, 2, 9, 7, dtype=torch.float64)], {'output_size': [2, 3]})

x = r(2, 3, 10, 9)
add('adaptive_max_pool2d overlapping windows', adaptive_max_pool2d, [x], {'output_size': [4, 5]},
    extra=F.adaptive_max_pool2d(x, [4, 5], return_indices=True)[1])
x = r(2, 7, 5)
add('adaptive_max_pool2d (None, 2), unbatched', adaptive_max_pool2d, [x], {'output_size': [None, 2]},
    extra=F.adaptive_max_pool2d(x, [None, 2], return_indices=True)[1])
write(os.path.join(os.path.dirname(__file__), '..', '..', 'packages', 'core', 'golden', 'conv.json'), cases)
