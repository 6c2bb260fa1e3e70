"""Golden values for @wick/nn's optimizers and lr schedulers, from real PyTorch.

Each optimizer case runs several steps on two float32 parameters with gradients drawn per step
(stored, so Wick applies the very same ones) and records the parameters after every step.
Writes packages/nn/golden/optim.json.
"""
import os
import json
import torch
from common import encode

torch.manual_seed(2)
STEPS = 6
cases = []


def run(name, make, options, groups=False):
    p1 = torch.randn(3, 4)
    p2 = torch.randn(5)
    init = [encode(p1), encode(p2)]
    params = [p1.clone().requires_grad_(), p2.clone().requires_grad_()]
    grads = [[torch.randn(3, 4), torch.randn(5)] for _ in range(STEPS)]
    if groups:
        opt = make([{'params': [params[0]]}, {'params': [params[1]], 'lr': options['lr'] * 3}], **options)
    else:
        opt = make(params, **options)
    history = []
    for step_grads in grads:
        for p, g in zip(params, step_grads):
            p.grad = g.clone()
        opt.step()
        history.append([encode(p) for p in params])
    cases.append({'name': name, 'optimizer': make.__name__, 'options': options, 'groups': groups, 'init': init,
                  'grads': [[encode(g) for g in gs] for gs in grads], 'history': history})


def camel(options):
    names = {'weight_decay': 'weightDecay', 'lr_decay': 'lrDecay', 'initial_accumulator_value': 'initialAccumulatorValue'}
    return {names.get(k, k): v for k, v in options.items()}


for name, make, opts in [
    ('SGD plain', torch.optim.SGD, dict(lr=0.1)),
    ('SGD momentum', torch.optim.SGD, dict(lr=0.05, momentum=0.9)),
    ('SGD momentum dampening weight decay', torch.optim.SGD, dict(lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.01)),
    ('SGD nesterov', torch.optim.SGD, dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3)),
    ('Adam default', torch.optim.Adam, dict(lr=1e-3)),
    ('Adam betas eps weight decay', torch.optim.Adam, dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    ('Adam amsgrad', torch.optim.Adam, dict(lr=0.01, amsgrad=True)),
    ('AdamW default', torch.optim.AdamW, dict(lr=1e-3)),
    ('AdamW weight decay amsgrad', torch.optim.AdamW, dict(lr=0.02, weight_decay=0.1, amsgrad=True)),
    ('Adadelta default (lr 1.0)', torch.optim.Adadelta, dict(lr=1.0)),
    ('Adadelta rho eps weight decay', torch.optim.Adadelta, dict(lr=0.5, rho=0.8, eps=1e-4, weight_decay=0.05)),
    ('Adadelta maximize', torch.optim.Adadelta, dict(lr=1.0, maximize=True)),
    ('SGD maximize with momentum', torch.optim.SGD, dict(lr=0.05, momentum=0.9, maximize=True)),
    ('SGD maximize plain', torch.optim.SGD, dict(lr=0.1, maximize=True)),
    ('RMSprop default', torch.optim.RMSprop, dict(lr=0.01)),
    ('RMSprop centered momentum weight decay', torch.optim.RMSprop, dict(lr=0.01, alpha=0.9, eps=1e-6, centered=True, momentum=0.8, weight_decay=0.1)),
    ('RMSprop maximize', torch.optim.RMSprop, dict(lr=0.005, momentum=0.5, maximize=True)),
    ('Adagrad default', torch.optim.Adagrad, dict(lr=0.1)),
    ('Adagrad lr decay, weight decay, initial accumulator', torch.optim.Adagrad, dict(lr=0.1, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.5, eps=1e-6)),
    ('Adagrad maximize', torch.optim.Adagrad, dict(lr=0.05, maximize=True)),
]:
    run(name, make, opts)
    cases[-1]['options'] = camel(opts)
run('SGD param groups', torch.optim.SGD, dict(lr=0.1, momentum=0.5), groups=True)
run('Adam param groups', torch.optim.Adam, dict(lr=0.01), groups=True)
run('Adadelta param groups', torch.optim.Adadelta, dict(lr=1.0), groups=True)

schedulers = []
L = torch.optim.lr_scheduler
for name, make, opts, optimizer in [
    ('StepLR', L.StepLR, dict(step_size=3, gamma=0.5), 'sgd'),
    ('CosineAnnealingLR', L.CosineAnnealingLR, dict(T_max=10, eta_min=1e-4), 'sgd'),
    ('ExponentialLR', L.ExponentialLR, dict(gamma=0.9), 'sgd'),
    ('MultiStepLR', L.MultiStepLR, dict(milestones=[3, 7, 7, 12], gamma=0.5), 'sgd'),
    ('LinearLR', L.LinearLR, dict(start_factor=0.25, end_factor=0.9, total_iters=8), 'sgd'),
    ('LambdaLR', L.LambdaLR, dict(lr_lambda=lambda e: 0.95 ** e + 0.01 * e), 'sgd'),
    ('OneCycleLR cos', L.OneCycleLR, dict(max_lr=0.5, total_steps=25), 'sgd'),
    ('OneCycleLR linear, three phases, Adam', L.OneCycleLR, dict(max_lr=0.02, epochs=5, steps_per_epoch=5, anneal_strategy='linear', three_phase=True, pct_start=0.4, div_factor=10), 'adam'),
]:
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1, momentum=0.9) if optimizer == 'sgd' else torch.optim.Adam([p], lr=0.1)
    sched = make(opt, **opts)
    lrs, momenta = [opt.param_groups[0]['lr']], []
    for _ in range(24 if name.startswith('OneCycle') else 25):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
        g = opt.param_groups[0]
        momenta.append(g['betas'][0] if 'betas' in g else g['momentum'])
    schedulers.append({'name': name, 'lrs': lrs, 'momenta': momenta})
metrics = [1.0, 0.9, 0.95, 0.92, 0.91, 0.905, 0.93, 0.94, 0.95, 0.8, 0.85, 0.86, 0.87, 0.88, 0.9, 0.7, 0.71, 0.72, 0.73, 0.74]
for name, opts in [('ReduceLROnPlateau min rel', dict(patience=2, factor=0.5)),
                   ('ReduceLROnPlateau max abs cooldown', dict(mode='max', threshold=0.02, threshold_mode='abs', patience=1, cooldown=2, factor=0.3, min_lr=0.01))]:
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    sched = L.ReduceLROnPlateau(opt, **opts)
    lrs = []
    for m in metrics:
        sched.step(m)
        lrs.append(opt.param_groups[0]['lr'])
    schedulers.append({'name': name, 'metrics': metrics, 'lrs': lrs})

out = os.path.join(os.path.dirname(__file__), '..', '..', 'packages', 'nn', 'golden', 'optim.json')
with open(out, 'w') as f:
    json.dump({'torch': torch.__version__, 'optimizers': cases, 'schedulers': schedulers}, f, separators=(',', ':'))
print(f'wrote {len(cases)} optimizer and {len(schedulers)} scheduler cases to {out}')
