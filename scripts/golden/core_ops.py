"""Golden values for @wick/core's ops, from real PyTorch. Writes packages/core/golden/ops.json."""
import os
import torch
from common import case, write

torch.manual_seed(0)


def r(*shape, grad=True, dtype=torch.float32, positive=False):
    x = torch.randn(*shape, dtype=dtype)
    if positive:
        x = x.abs() + 0.5
    return x.requires_grad_(grad)


OPS = {
    'add': lambda a, b: a + b,
    'sub': lambda a, b: a - b,
    'mul': lambda a, b: a * b,
    'div': lambda a, b: a / b,
    'pow': lambda a, b: a ** b,
    'powScalar': lambda a, p: a ** p,
    'maximum': torch.maximum,
    'minimum': torch.minimum,
    'neg': torch.neg, 'exp': torch.exp, 'log': torch.log, 'sqrt': torch.sqrt, 'abs': torch.abs,
    'relu': torch.relu, 'sigmoid': torch.sigmoid, 'tanh': torch.tanh,
    'clamp': lambda a, min=None, max=None: torch.clamp(a, min=min, max=max),
    'whereGt0': lambda c, a, b: torch.where(c > 0, a, b),
    'sum': lambda a, dim=None, keepdim=False: a.sum() if dim is None else a.sum(dim, keepdim=keepdim),
    'mean': lambda a, dim=None, keepdim=False: a.mean() if dim is None else a.mean(dim, keepdim=keepdim),
    'amax': lambda a, dim, keepdim=False: a.amax(dim, keepdim=keepdim),
    'amin': lambda a, dim, keepdim=False: a.amin(dim, keepdim=keepdim),
    'maxDim': lambda a, dim, keepdim=False: a.max(dim, keepdim=keepdim).values,
    'minDim': lambda a, dim, keepdim=False: a.min(dim, keepdim=keepdim).values,
    'logsumexp': lambda a, dim, keepdim=False: a.logsumexp(dim, keepdim=keepdim),
    'var': lambda a, dim=None, correction=1, keepdim=False: torch.var(a, dim=dim, correction=correction, keepdim=keepdim),
    'std': lambda a, dim=None, correction=1, keepdim=False: torch.std(a, dim=dim, correction=correction, keepdim=keepdim),
    'matmul': torch.matmul,
    'matmulTransposedA': lambda a, b: a.transpose(-1, -2) @ b,
    'linear': torch.nn.functional.linear,
    'softmax': lambda a, dim: torch.softmax(a, dim),
    'logSoftmax': lambda a, dim: torch.log_softmax(a, dim),
    'reshape': lambda a, shape: a.reshape(shape),
    'transposeReshape': lambda a, d0, d1, shape: a.transpose(d0, d1).reshape(shape),
    'permute': lambda a, dims: a.permute(dims) * 1,
    'expand': lambda a, shape: a.expand(shape) * 1,
    'cat': lambda a, b, dim: torch.cat([a, b], dim),
    'stack': lambda a, b, dim: torch.stack([a, b], dim),
    'narrow': lambda a, dim, start, length: a.narrow(dim, start, length),
    'sliceStep': lambda a, start, end, step: a[:, start:end:step],
    'select': lambda a, dim, index: a.select(dim, index),
    'squeezeUnsqueeze': lambda a, dim: a.unsqueeze(dim).squeeze(),
    'gather': lambda a, idx, dim: a.gather(dim, idx),
    'indexSelect': lambda a, idx, dim: a.index_select(dim, idx),
}

cases = []


def add(name, op, inputs, **kw):
    cases.append(case(name, lambda *xs, **k: OPS[op](*xs, **k), inputs, kw, seed=len(cases)) | {'op': op})


add('add broadcast', 'add', [r(4, 3), r(3)])
add('add leading broadcast', 'add', [r(2, 1, 3), r(4, 1)])
add('sub', 'sub', [r(3, 4), r(1, 4)])
add('mul broadcast', 'mul', [r(2, 3, 4), r(3, 1)])
add('div', 'div', [r(3, 4), r(3, 4, positive=True)])
add('pow tensor', 'pow', [r(3, 4, positive=True), r(3, 4)])
add('pow scalar', 'powScalar', [r(3, 4)], p=3)
add('pow fractional', 'powScalar', [r(5, positive=True)], p=0.5)
add('maximum', 'maximum', [r(4, 5), r(5)])
add('minimum', 'minimum', [r(4, 5), r(4, 1)])
for op in ['neg', 'exp', 'tanh', 'sigmoid', 'relu', 'abs']:
    add(op, op, [r(3, 5)])
add('log', 'log', [r(3, 5, positive=True)])
add('sqrt', 'sqrt', [r(3, 5, positive=True)])
add('clamp both', 'clamp', [r(4, 5)], min=-0.5, max=0.7)
add('clamp min', 'clamp', [r(4, 5)], min=0.1)
add('where', 'whereGt0', [r(3, 4, grad=False), r(3, 4), r(4)])
add('sum all', 'sum', [r(3, 4)])
add('sum dim', 'sum', [r(3, 4, 5)], dim=1)
add('sum dims keepdim', 'sum', [r(3, 4, 5)], dim=[0, 2], keepdim=True)
add('sum negative dim', 'sum', [r(3, 4, 5)], dim=-1)
add('mean all', 'mean', [r(3, 4)])
add('mean dims', 'mean', [r(2, 3, 4)], dim=[1, 2])
add('amax', 'amax', [r(3, 6)], dim=1)
add('amin keepdim', 'amin', [r(3, 6)], dim=0, keepdim=True)
add('max dim', 'maxDim', [r(4, 5, 3)], dim=1)
add('min dim keepdim', 'minDim', [r(4, 5)], dim=-1, keepdim=True)
add('logsumexp', 'logsumexp', [r(4, 7)], dim=1)
add('logsumexp large', 'logsumexp', [r(3, 5) * 1e4], dim=-1, keepdim=True)
add('var', 'var', [r(4, 6)], dim=1)
add('var all unbiased', 'var', [r(4, 6)])
add('std correction 0', 'std', [r(4, 6)], dim=0, correction=0, keepdim=True)
add('matmul 2d', 'matmul', [r(5, 7), r(7, 3)])
add('matmul vec-mat', 'matmul', [r(7), r(7, 3)])
add('matmul mat-vec', 'matmul', [r(5, 7), r(7)])
add('matmul dot', 'matmul', [r(7), r(7)])
add('matmul batched broadcast', 'matmul', [r(2, 1, 4, 5), r(3, 5, 6)])
add('matmul batch x 2d', 'matmul', [r(3, 4, 5), r(5, 2)])
add('matmul transposed a', 'matmulTransposedA', [r(6, 4), r(6, 3)])
add('linear', 'linear', [r(8, 5), r(3, 5), r(3)])
add('linear 3d', 'linear', [r(2, 4, 5), r(3, 5), r(3)])
add('softmax', 'softmax', [r(4, 6)], dim=1)
add('softmax dim0', 'softmax', [r(3, 4, 5)], dim=0)
add('logSoftmax', 'logSoftmax', [r(4, 6)], dim=-1)
add('logSoftmax middle', 'logSoftmax', [r(2, 5, 3)], dim=1)
add('logSoftmax large logits', 'logSoftmax', [r(3, 5) * 1e4], dim=1)
add('reshape', 'reshape', [r(3, 4)], shape=[2, -1, 3])
add('transpose reshape', 'transposeReshape', [r(3, 4, 2)], d0=0, d1=2, shape=[8, 3])
add('permute', 'permute', [r(2, 3, 4)], dims=[2, 0, 1])
add('expand', 'expand', [r(3, 1)], shape=[2, 3, 4])
add('cat', 'cat', [r(2, 3), r(4, 3)], dim=0)
add('cat dim1', 'cat', [r(2, 3), r(2, 2)], dim=-1)
add('stack', 'stack', [r(2, 3), r(2, 3)], dim=1)
add('narrow', 'narrow', [r(5, 4)], dim=0, start=1, length=3)
add('slice step', 'sliceStep', [r(3, 8)], start=1, end=7, step=2)
add('select', 'select', [r(3, 4, 2)], dim=1, index=2)
add('squeeze unsqueeze', 'squeezeUnsqueeze', [r(3, 1, 4)], dim=0)
add('gather', 'gather', [r(4, 5), torch.randint(0, 5, (4, 2))], dim=1)
add('gather dim0 smaller', 'gather', [r(4, 5), torch.randint(0, 4, (3, 2))], dim=0)
add('indexSelect', 'indexSelect', [r(4, 5), torch.tensor([3, 0, 3])], dim=0)

out = os.path.join(os.path.dirname(__file__), '..', '..', 'packages', 'core', 'golden', 'ops.json')
os.makedirs(os.path.dirname(out), exist_ok=True)
write(out, cases)
