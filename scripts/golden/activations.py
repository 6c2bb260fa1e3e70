"""Golden values for @wick/core's activations (erf, gelu, silu), from real PyTorch.
Writes packages/core/golden/activations.json."""
import os
import torch
import torch.nn.functional as F
from common import case, write

torch.manual_seed(0)


def spread(n, dtype=torch.float32, grad=True):
    """Values across the interesting range: normals, large magnitudes, zero, the series/fraction seam of erf."""
    x = torch.cat([torch.randn(n, dtype=dtype) * 2, torch.tensor([0.0, -0.0, 2.0, -2.0, 1.999, 5.5, -7.0, 12.0, -12.0, 25.0, -30.0], dtype=dtype)])
    return x.requires_grad_(grad)


FNS = {
    'erf': lambda x: torch.erf(x),
    'gelu': lambda x, approximate='none': F.gelu(x, approximate=approximate),
    'silu': lambda x: F.silu(x),
    'leakyRelu': lambda x, negative_slope=0.01: F.leaky_relu(x, negative_slope),
    'elu': lambda x, alpha=1.0: F.elu(x, alpha),
    'softplus': lambda x, beta=1, threshold=20: F.softplus(x, beta, threshold),
    'hardtanh': lambda x, min_val=-1.0, max_val=1.0: F.hardtanh(x, min_val, max_val),
    'logSigmoid': lambda x: F.logsigmoid(x),
}

cases = []
seed = 100
VARIANTS = {
    'gelu': [{'approximate': 'none'}, {'approximate': 'tanh'}],
    'leakyRelu': [{}, {'negative_slope': 0.2}],
    'elu': [{}, {'alpha': 0.5}],
    'softplus': [{}, {'beta': 2, 'threshold': 5}],
    'hardtanh': [{}, {'min_val': -0.5, 'max_val': 2.0}],
}
for fn in FNS:
    variants = VARIANTS.get(fn, [{}])
    for kw in variants:
        label = fn + ''.join(f' {k}={v}' for k, v in kw.items())
        for dtype in [torch.float32, torch.float64]:
            name = f"{label} {str(dtype).replace('torch.', '')}"
            cases.append(case(name, FNS[fn], [spread(23, dtype)], kw, seed) | {'fn': fn})
            seed += 1
        cases.append(case(f'{label} (2, 3, 4)', FNS[fn], [torch.randn(2, 3, 4).requires_grad_()], kw, seed) | {'fn': fn})
        seed += 1

out = os.path.join(os.path.dirname(__file__), '..', '..', 'packages', 'core', 'golden', 'activations.json')
write(out, cases)
