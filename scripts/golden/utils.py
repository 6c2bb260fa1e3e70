"""Golden values for @wick/nn's utils (gradient clipping), from real PyTorch.
Writes packages/nn/golden/utils.json."""
import json
import math
import os
import torch
from common import encode

torch.manual_seed(0)
cases = []
for norm_type, max_norm in [(2.0, 1.0), (1.0, 2.5), (math.inf, 0.3), (3.0, 100.0)]:
    grads = [torch.randn(3, 4), torch.randn(5)]
    params = [torch.zeros(3, 4, requires_grad=True), torch.zeros(5, requires_grad=True)]
    for p, g in zip(params, grads):
        p.grad = g.clone()
    total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type)
    cases.append({'normType': 'inf' if norm_type == math.inf else norm_type, 'maxNorm': max_norm, 'grads': [encode(g) for g in grads],
                  'total': total.item(), 'clipped': [encode(p.grad) for p in params]})
with open(os.path.join(os.path.dirname(__file__), '..', '..', 'packages', 'nn', 'golden', 'utils.json'), 'w') as f:
    json.dump({'torch': torch.__version__, 'clipGradNorm': cases}, f)
print(f'wrote {len(cases)} clip_grad_norm_ cases')
