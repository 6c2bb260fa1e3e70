"""Golden values for @wick/nn's LogSoftmax, NLLLoss and CrossEntropyLoss, from real PyTorch.

Covers every argument: input shapes (C), (N, C) and (N, C, d1, ..., dk); each reduction; class
weights; ignored targets (some, all, and an ignoreIndex inside the class range); label
smoothing; class-probability targets; large logits; float32 and float64.
Writes packages/core/golden/losses.json.
"""
import os
import torch
import torch.nn.functional as F
from common import case, write

torch.manual_seed(1)
cases = []


def opts(kw):
    return dict(
        ignore_index=kw.get('ignoreIndex', -100),
        reduction=kw.get('reduction', 'mean'),
    )


def run_ce(x, t, *w, **kw):
    return F.cross_entropy(x, t, weight=w[0] if w else None, label_smoothing=kw.get('labelSmoothing', 0.0), **opts(kw))


def run_nll(x, t, *w, **kw):
    return F.nll_loss(x, t, weight=w[0] if w else None, **opts(kw))


def run_nll_of_log_softmax(x, t, *w, **kw):
    dim = 0 if x.dim() == 1 else 1
    return F.nll_loss(F.log_softmax(x, dim), t, weight=w[0] if w else None, **opts(kw))


FNS = {'crossEntropy': run_ce, 'nllLoss': run_nll, 'nllOfLogSoftmax': run_nll_of_log_softmax,
       'logSoftmax': lambda x, dim: F.log_softmax(x, dim)}


def add(name, fn, inputs, **kw):
    cases.append(case(name, FNS[fn], inputs, kw, seed=1000 + len(cases)) | {'fn': fn})


def logits(*shape, scale=1.0, dtype=torch.float32):
    return (torch.randn(*shape, dtype=dtype) * scale).requires_grad_()


def labels(n_classes, *shape, ignore=0.0, ignore_index=-100):
    t = torch.randint(0, n_classes, shape)
    if ignore > 0:
        t[torch.rand(shape) < ignore] = ignore_index
    return t


def weights(c, dtype=torch.float32):
    return torch.rand(c, dtype=dtype) + 0.2


def probs(*shape, dim=1, dtype=torch.float32):
    return torch.softmax(torch.randn(*shape, dtype=dtype) * 2, dim).requires_grad_()


# The seed example of the issue.
seed_x = torch.tensor([[0.8982, 0.805, 0.6393, 0.9983, 0.5731, 0.0469, 0.556, 0.1476, 0.8404, 0.5544]], requires_grad=True)
add('seed example: CrossEntropyLoss', 'crossEntropy', [seed_x, torch.tensor([1])])
add('seed example: NLLLoss(LogSoftmax)', 'nllOfLogSoftmax', [seed_x.detach().clone().requires_grad_(), torch.tensor([1])])

# LogSoftmax on every rank and dim.
add('logSoftmax (C)', 'logSoftmax', [logits(7)], dim=0)
add('logSoftmax (N,C)', 'logSoftmax', [logits(5, 7)], dim=1)
add('logSoftmax (N,C) dim -1', 'logSoftmax', [logits(5, 7)], dim=-1)
add('logSoftmax (N,C,d1,d2) dim 1', 'logSoftmax', [logits(2, 4, 3, 5)], dim=1)
add('logSoftmax (N,C,d1,d2) dim 0', 'logSoftmax', [logits(2, 4, 3, 5)], dim=0)
add('logSoftmax large logits 1e4', 'logSoftmax', [logits(4, 6, scale=1e4)], dim=1)
add('logSoftmax float64', 'logSoftmax', [logits(3, 5, dtype=torch.float64)], dim=1)

SHAPES = {
    '(C)': ((6,), ()),
    '(N,C)': ((8, 5), (8,)),
    '(N,C,d1)': ((3, 4, 5), (3, 5)),
    '(N,C,d1,d2)': ((2, 3, 4, 5), (2, 4, 5)),
}


def class_cases(fn):
    for sname, (ishape, tshape) in SHAPES.items():
        c = ishape[0] if len(ishape) == 1 else ishape[1]
        for reduction in ['mean', 'sum', 'none']:
            x = logits(*ishape)
            if fn == 'nllLoss':
                x = torch.log_softmax(x.detach(), 0 if len(ishape) == 1 else 1).requires_grad_()
            add(f'{fn} {sname} {reduction}', fn, [x, labels(c, *tshape)], reduction=reduction)
            add(f'{fn} {sname} {reduction} weight', fn, [x.detach().clone().requires_grad_(), labels(c, *tshape), weights(c)],
                reduction=reduction)
            if len(tshape) > 0:
                add(f'{fn} {sname} {reduction} ignored targets', fn,
                    [x.detach().clone().requires_grad_(), labels(c, *tshape, ignore=0.3), weights(c)], reduction=reduction)
        if len(tshape) > 0:
            xx = logits(*ishape)
            add(f'{fn} {sname} ignoreIndex inside the class range', fn, [xx, labels(c, *tshape)], ignoreIndex=1)
            for reduction in ['mean', 'sum']:
                add(f'{fn} {sname} every target ignored {reduction}', fn,
                    [logits(*ishape), torch.full(tshape, -100), weights(c)], reduction=reduction)


class_cases('nllLoss')
class_cases('crossEntropy')

# Label smoothing, with and without weights and ignored targets.
for ls in [0.1, 0.35, 1.0]:
    for reduction in ['mean', 'sum', 'none']:
        add(f'crossEntropy labelSmoothing {ls} {reduction}', 'crossEntropy', [logits(6, 5), labels(5, 6)],
            reduction=reduction, labelSmoothing=ls)
        add(f'crossEntropy labelSmoothing {ls} {reduction} weight+ignore', 'crossEntropy',
            [logits(6, 5), labels(5, 6, ignore=0.3), weights(5)], reduction=reduction, labelSmoothing=ls)
add('crossEntropy labelSmoothing (N,C,d1) weight', 'crossEntropy', [logits(2, 4, 3), labels(4, 2, 3, ignore=0.2), weights(4)],
    labelSmoothing=0.2)
add('crossEntropy labelSmoothing (C)', 'crossEntropy', [logits(5), labels(5)], labelSmoothing=0.25)

# Class-probability targets.
for reduction in ['mean', 'sum', 'none']:
    add(f'crossEntropy probabilities (N,C) {reduction}', 'crossEntropy', [logits(5, 4), probs(5, 4)], reduction=reduction)
    add(f'crossEntropy probabilities (N,C) {reduction} weight', 'crossEntropy', [logits(5, 4), probs(5, 4), weights(4)],
        reduction=reduction)
    add(f'crossEntropy probabilities (N,C,d1,d2) {reduction} weight smoothing', 'crossEntropy',
        [logits(2, 3, 2, 2), probs(2, 3, 2, 2), weights(3)], reduction=reduction, labelSmoothing=0.15)
add('crossEntropy probabilities (C)', 'crossEntropy', [logits(6), probs(6, dim=0)])
add('crossEntropy probabilities smoothing', 'crossEntropy', [logits(4, 5), probs(4, 5)], labelSmoothing=0.3)

# Large logits stay finite and exact.
add('crossEntropy large logits 1e4', 'crossEntropy', [logits(6, 10, scale=1e4), labels(10, 6)])
add('crossEntropy large logits 1e4 smoothing', 'crossEntropy', [logits(6, 10, scale=1e4), labels(10, 6), weights(10)],
    labelSmoothing=0.1)
add('nllOfLogSoftmax large logits 1e4', 'nllOfLogSoftmax', [logits(6, 10, scale=1e4), labels(10, 6)])

# Float64 throughout.
add('crossEntropy float64 weight ignore smoothing', 'crossEntropy',
    [logits(7, 6, dtype=torch.float64), labels(6, 7, ignore=0.3), weights(6, torch.float64)], labelSmoothing=0.2)
add('nllLoss float64', 'nllLoss', [logits(7, 6, dtype=torch.float64), labels(6, 7)], reduction='sum')
add('crossEntropy float64 probabilities', 'crossEntropy',
    [logits(3, 4, dtype=torch.float64), probs(3, 4, dtype=torch.float64), weights(4, torch.float64)], labelSmoothing=0.1)

# A typical MNIST batch.
add('crossEntropy (64,10)', 'crossEntropy', [logits(64, 10, scale=3), labels(10, 64)])

out = os.path.join(os.path.dirname(__file__), '..', '..', 'packages', 'core', 'golden', 'losses.json')
os.makedirs(os.path.dirname(out), exist_ok=True)
write(out, cases)
