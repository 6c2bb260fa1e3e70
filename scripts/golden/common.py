"""Shared helpers for the golden-value scripts: run with Debian's /usr/bin/python3 (python3-torch)."""
import json
import torch


def encode(t):
    """A tensor as JSON: flat row-major values (exact for float32) plus shape and dtype."""
    t = t.detach()
    dtype = {torch.float32: 'float32', torch.float64: 'float64', torch.int64: 'int64', torch.bool: 'bool'}[t.dtype]
    values = t.reshape(-1).tolist()
    if dtype == 'float32' or dtype == 'float64':
        values = [v if v == v and abs(v) != float('inf') else str(v) for v in values]
    return {'shape': list(t.shape), 'dtype': dtype, 'data': values}


def case(name, fn, inputs, kw, seed):
    """Runs fn(*inputs, **kw), then backpropagates a random upstream gradient through it."""
    g = torch.Generator().manual_seed(seed)
    out = fn(*inputs, **kw)
    upstream = torch.randn(out.shape, generator=g, dtype=out.dtype)
    diff = [x for x in inputs if x.requires_grad]
    grads = torch.autograd.grad(out, diff, upstream, allow_unused=True) if diff else []
    return {
        'name': name,
        'inputs': [encode(x) | {'requiresGrad': x.requires_grad} for x in inputs],
        'kw': kw,
        'output': encode(out),
        'upstream': encode(upstream),
        'grads': [encode(gr) if gr is not None else None for gr in grads],
    }


def write(path, cases):
    with open(path, 'w') as f:
        json.dump({'torch': torch.__version__, 'cases': cases}, f, separators=(',', ':'))
    print(f'wrote {len(cases)} cases to {path}')


def r(*shape, dtype=torch.float32, grad=True):
    """A standard-normal leaf tensor, requiring grad unless told not to."""
    return torch.randn(*shape, dtype=dtype).requires_grad_(grad)


def appender(cases):
    """add(name, fn, inputs, kw, extra=None): appends case(...) tagged with fn's name, seeded by its position,
    with `extra` tensors (one, or a list) encoded beside it."""
    def add(name, fn, inputs, kw, extra=None):
        c = case(name, fn, inputs, kw, len(cases) + 1) | {'fn': fn.__name__}
        if extra is not None:
            c['extra'] = [encode(e) for e in extra] if isinstance(extra, list) else encode(extra)
        cases.append(c)
    return add
