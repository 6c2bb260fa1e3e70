"""Golden values for @wick/core's elementwise losses (MSE, L1, smooth L1, Huber, binary
cross-entropy with probabilities and with logits, KL divergence), from real PyTorch.
Writes packages/core/golden/losses_elementwise.json."""
import os
import torch
import torch.nn.functional as F
from common import appender, r, write

torch.manual_seed(0)



def prob(*shape, dtype=torch.float32, grad=True):
    return torch.rand(*shape, dtype=dtype).mul(0.98).add(0.01).requires_grad_(grad)


cases = []
add = appender(cases)


def mse_loss(x, t, **kw): return F.mse_loss(x, t, **kw)
def l1_loss(x, t, **kw): return F.l1_loss(x, t, **kw)
def smooth_l1_loss(x, t, **kw): return F.smooth_l1_loss(x, t, **kw)
def huber_loss(x, t, **kw): return F.huber_loss(x, t, **kw)
def binary_cross_entropy(x, t, w=None, **kw): return F.binary_cross_entropy(x, t, weight=w, **kw)
def bce_with_logits(x, t, w=None, pw=None, **kw): return F.binary_cross_entropy_with_logits(x, t, weight=w, pos_weight=pw, **kw)
def kl_div(x, t, **kw): return F.kl_div(x, t, **kw)


for reduction in ['mean', 'sum', 'none']:
    add(f'mse {reduction}', mse_loss, [r(4, 5), r(4, 5)], {'reduction': reduction})
    add(f'l1 {reduction}', l1_loss, [r(3, 6), r(3, 6, grad=False)], {'reduction': reduction})
    add(f'smooth l1 beta 0.5 {reduction}', smooth_l1_loss, [r(4, 5), r(4, 5, grad=False)], {'reduction': reduction, 'beta': 0.5})
    add(f'huber delta 0.7 {reduction}', huber_loss, [r(4, 5), r(4, 5, grad=False)], {'reduction': reduction, 'delta': 0.7})
    add(f'bce {reduction}', binary_cross_entropy, [prob(4, 3), torch.randint(0, 2, (4, 3)).float()], {'reduction': reduction})
    add(f'bce with logits {reduction}', bce_with_logits, [r(4, 3).mul(4).detach().requires_grad_(), torch.rand(4, 3)], {'reduction': reduction})
    add(f'kl_div {reduction}', kl_div, [torch.log_softmax(r(3, 5), 1).detach().requires_grad_(), torch.softmax(torch.randn(3, 5), 1)], {'reduction': reduction})
add('smooth l1 beta 1 (default)', smooth_l1_loss, [r(10), r(10, grad=False)], {})
add('bce weighted', binary_cross_entropy, [prob(4, 3), torch.rand(4, 3), torch.rand(3)], {})
add('bce float64', binary_cross_entropy, [prob(5, dtype=torch.float64), torch.rand(5, dtype=torch.float64)], {})
add('bce with logits, pos_weight broadcast over the columns', bce_with_logits, [r(4, 3).mul(3).detach().requires_grad_(), torch.randint(0, 2, (4, 3)).float(), torch.ones(3), torch.tensor([0.5, 2.0, 3.0])], {})
add('bce with logits, weight and pos_weight, large logits', bce_with_logits, [torch.tensor([[60.0, -70.0, 0.5], [-2.0, 90.0, -0.3]], requires_grad=True), torch.tensor([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]]), torch.tensor([1.0, 0.5, 2.0]), torch.tensor([1.5, 1.0, 0.3])], {})
add('kl_div batchmean', kl_div, [torch.log_softmax(r(4, 6), 1).detach().requires_grad_(), torch.softmax(torch.randn(4, 6), 1)], {'reduction': 'batchmean'})
add('kl_div log_target', kl_div, [torch.log_softmax(r(4, 6), 1).detach().requires_grad_(), torch.log_softmax(torch.randn(4, 6), 1)], {'reduction': 'batchmean', 'log_target': True})
add('kl_div zero targets', kl_div, [torch.log_softmax(r(2, 4), 1).detach().requires_grad_(), torch.tensor([[0.0, 0.5, 0.5, 0.0], [1.0, 0.0, 0.0, 0.0]])], {'reduction': 'sum'})
add('mse float64', mse_loss, [r(3, 4, dtype=torch.float64), r(3, 4, dtype=torch.float64)], {})

write(os.path.join(os.path.dirname(__file__), '..', '..', 'packages', 'core', 'golden', 'losses_elementwise.json'), cases)
