"""Golden values for @wick/core's normalizations and embedding, and @wick/nn's BatchNorm modules,
from real PyTorch. Writes packages/core/golden/normalization.json and
packages/nn/golden/batchnorm.json."""
import json
import os
import torch
import torch.nn.functional as F
from common import appender, encode, r, write

torch.manual_seed(0)
here = os.path.dirname(__file__)



cases = []
add = appender(cases)


def batch_norm_train(x, w, b, rm, rv, momentum=0.1, eps=1e-5):
    # Clones: the running statistics recorded as inputs must be those before the update.
    return F.batch_norm(x, rm.clone(), rv.clone(), w, b, True, momentum, eps)


def batch_norm_eval(x, w, b, rm, rv, eps=1e-5):
    return F.batch_norm(x, rm, rv, w, b, False, 0.1, eps)


def layer_norm(x, w=None, b=None, normalized_shape=None, eps=1e-5):
    return F.layer_norm(x, normalized_shape, w, b, eps)


def group_norm(x, w=None, b=None, num_groups=1, eps=1e-5):
    return F.group_norm(x, num_groups, w, b, eps)


def embedding(idx, w, padding_idx=None):
    return F.embedding(idx, w, padding_idx)


for shape in [(4, 3), (2, 3, 5), (2, 3, 4, 4)]:
    rm, rv = torch.randn(3), torch.rand(3) + 0.5
    x, w, b = r(*shape), r(3), r(3)
    after_m, after_v = rm.clone(), rv.clone()
    F.batch_norm(x.detach(), after_m, after_v, w.detach(), b.detach(), True, 0.2, 1e-5)
    add(f'batch_norm training {list(shape)}', batch_norm_train, [x, w, b, rm, rv], {'momentum': 0.2}, extra=[after_m, after_v])
    add(f'batch_norm eval {list(shape)}', batch_norm_eval, [r(*shape), r(3), r(3), torch.randn(3), torch.rand(3) + 0.5], {})
add('batch_norm eval, batch of one', batch_norm_eval, [r(1, 3), r(3), r(3), torch.randn(3), torch.rand(3) + 0.5], {'eps': 1e-3})
add('batch_norm training float64', batch_norm_train, [r(5, 2, 3, dtype=torch.float64), r(2, dtype=torch.float64), r(2, dtype=torch.float64),
                                                       torch.zeros(2, dtype=torch.float64), torch.ones(2, dtype=torch.float64)], {})
add('layer_norm last dim', layer_norm, [r(4, 6), r(6), r(6)], {'normalized_shape': [6]})
add('layer_norm last two dims', layer_norm, [r(2, 3, 4, 5), r(4, 5), r(4, 5)], {'normalized_shape': [4, 5], 'eps': 1e-3})
add('layer_norm without affine', layer_norm, [r(3, 7)], {'normalized_shape': [7]})
add('layer_norm float64', layer_norm, [r(2, 5, dtype=torch.float64), r(5, dtype=torch.float64), r(5, dtype=torch.float64)], {'normalized_shape': [5]})
add('group_norm 2 groups', group_norm, [r(2, 6, 3, 3), r(6), r(6)], {'num_groups': 2})
add('group_norm 1 group (layer norm over channels)', group_norm, [r(3, 4, 5), r(4), r(4)], {'num_groups': 1})
add('group_norm a group per channel', group_norm, [r(2, 3, 4)], {'num_groups': 3, 'eps': 1e-3})
idx = torch.tensor([[1, 0, 3], [3, 2, 0]])
add('embedding', embedding, [idx, r(5, 4)], {})
add('embedding padding_idx gets no gradient', embedding, [idx, r(5, 4)], {'padding_idx': 0})
add('embedding negative padding_idx', embedding, [idx, r(4, 3)], {'padding_idx': -1})
write(os.path.join(here, '..', '..', 'packages', 'core', 'golden', 'normalization.json'), cases)

# BatchNorm modules over several training steps, then eval: outputs, gradients and buffers.
modules = []
for name, make, shape in [
    ('BatchNorm1d (N, C)', lambda: torch.nn.BatchNorm1d(4), (8, 4)),
    ('BatchNorm1d (N, C, L), momentum None (cumulative)', lambda: torch.nn.BatchNorm1d(3, momentum=None), (4, 3, 5)),
    ('BatchNorm2d', lambda: torch.nn.BatchNorm2d(3, eps=1e-3, momentum=0.3), (2, 3, 4, 4)),
    ('BatchNorm2d without affine', lambda: torch.nn.BatchNorm2d(2, affine=False), (3, 2, 3, 3)),
    ('BatchNorm2d without running stats', lambda: torch.nn.BatchNorm2d(2, track_running_stats=False), (3, 2, 3, 3)),
]:
    torch.manual_seed(len(modules) + 10)
    bn = make()
    if bn.affine:
        with torch.no_grad():
            bn.weight.uniform_(0.5, 1.5)
            bn.bias.uniform_(-0.5, 0.5)
    init = {k: encode(v) for k, v in bn.state_dict().items()}
    steps = []
    for _ in range(3):
        x = torch.randn(*shape, requires_grad=True)
        y = bn(x)
        upstream = torch.randn(*y.shape)
        y.backward(upstream)
        steps.append({'input': encode(x), 'output': encode(y), 'upstream': encode(upstream), 'grad': encode(x.grad),
                      'state': {k: encode(v) for k, v in bn.state_dict().items()}})
    bn.eval()
    x = torch.randn(1, *shape[1:])
    modules.append({'name': name, 'init': init, 'steps': steps, 'evalInput': encode(x), 'evalOutput': encode(bn(x).detach())})
with open(os.path.join(here, '..', '..', 'packages', 'nn', 'golden', 'batchnorm.json'), 'w') as f:
    json.dump({'torch': torch.__version__, 'modules': modules}, f, separators=(',', ':'))
print(f'wrote {len(modules)} BatchNorm module cases')
