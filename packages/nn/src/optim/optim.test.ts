import { noGrad, tensor, zeros, type Tensor } from '@wick/core';
import * as testing from '@wick/core/testing';
import { describeEachBackend } from '@wick/test-harness';
import golden from '../../golden/optim.json';
import { Linear } from '../modules/linear';
import { Adadelta } from './adadelta';
import { Adagrad } from './adagrad';
import { RMSprop } from './rmsprop';
import { OneCycleLR } from './oneCycle';
import { ReduceLROnPlateau } from './plateau';
import { Adam, AdamW } from './adam';
import { CosineAnnealingLR, ExponentialLR, LambdaLR, LinearLR, MultiStepLR, StepLR, type LRScheduler } from './lrScheduler';
import { SGD } from './sgd';
import type { Optimizer } from './optimizer';

interface OptimCase {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'Adadelta' | 'RMSprop' | 'Adagrad';
  options: Record<string, unknown> & { lr: number };
  groups: boolean;
  init: testing.EncodedTensor[];
  grads: testing.EncodedTensor[][];
  history: testing.EncodedTensor[][];
}

function make(c: OptimCase, params: Tensor[]): Optimizer<{ lr: number }> {
  const options = { ...c.options } as Record<string, unknown> & { lr: number };
  const input = c.groups ? [{ params: [params[0]] }, { params: [params[1]], lr: options.lr * 3 }] : params;
  if (c.optimizer === 'SGD') return new SGD(input, options);
  if (c.optimizer === 'Adam') return new Adam(input, options);
  if (c.optimizer === 'Adadelta') return new Adadelta(input, options);
  if (c.optimizer === 'RMSprop') return new RMSprop(input, options);
  if (c.optimizer === 'Adagrad') return new Adagrad(input, options);
  return new AdamW(input, options);
}

// The updates run on each backend this platform has.
describeEachBackend('optimizers and schedulers', () => {
  describe('optimizers follow PyTorch step by step', () => {
    test.each((golden.optimizers as OptimCase[]).map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const params = c.init.map((e) => testing.decodeTensor(e).requiresGrad_());
      const opt = make(c, params);
      c.grads.forEach((stepGrads, step) => {
        params.forEach((p, i) => (p.grad = testing.decodeTensor(stepGrads[i])));
        opt.step();
        params.forEach((p, i) => testing.assertClose(p, testing.decodeTensor(c.history[step][i]), { rtol: 1e-5, atol: 1e-6 }));
      });
    });
  });
});

describe('lr schedulers follow PyTorch', () => {
  type SchedulerCase = { name: string; lrs: number[]; momenta?: number[]; metrics?: number[] };
  /** Mirrors the schedulers of scripts/golden/optim.py. */
  const MAKE: Record<string, (opt: Optimizer<{ lr: number }>) => LRScheduler> = {
    StepLR: (opt) => new StepLR(opt, { stepSize: 3, gamma: 0.5 }),
    CosineAnnealingLR: (opt) => new CosineAnnealingLR(opt, { tMax: 10, etaMin: 1e-4 }),
    ExponentialLR: (opt) => new ExponentialLR(opt, { gamma: 0.9 }),
    MultiStepLR: (opt) => new MultiStepLR(opt, { milestones: [3, 7, 7, 12], gamma: 0.5 }),
    LinearLR: (opt) => new LinearLR(opt, { startFactor: 0.25, endFactor: 0.9, totalIters: 8 }),
    LambdaLR: (opt) => new LambdaLR(opt, (e) => 0.95 ** e + 0.01 * e),
    'OneCycleLR cos': (opt) => new OneCycleLR(opt, { maxLr: 0.5, totalSteps: 25 }),
    'OneCycleLR linear, three phases, Adam': (opt) =>
      new OneCycleLR(opt, { maxLr: 0.02, epochs: 5, stepsPerEpoch: 5, annealStrategy: 'linear', threePhase: true, pctStart: 0.4, divFactor: 10 }),
  };
  const cases = golden.schedulers as SchedulerCase[];

  test.each(cases.filter((c) => c.name in MAKE).map((c) => [c.name, c] as const))('%s: the lr (and momentum) of every step', (name, c) => {
    const p = zeros([1], { requiresGrad: true });
    const opt = name.includes('Adam') ? new Adam([p], { lr: 0.1 }) : new SGD([p], { lr: 0.1, momentum: 0.9 });
    const sched = MAKE[name](opt);
    expect(opt.paramGroups[0].lr).toBeCloseTo(c.lrs[0], 12);
    c.lrs.slice(1).forEach((lr, i) => {
      sched.step();
      expect(sched.getLastLr()[0]).toBeCloseTo(lr, 12);
      expect(opt.paramGroups[0].lr).toBeCloseTo(lr, 12);
      const g = opt.paramGroups[0] as { momentum?: number; betas?: [number, number] };
      expect(g.betas?.[0] ?? g.momentum).toBeCloseTo((c.momenta as number[])[i], 12);
    });
  });

  test.each(cases.filter((c) => c.metrics !== undefined).map((c) => [c.name, c] as const))('%s', (name, c) => {
    const opt = new SGD([zeros([1], { requiresGrad: true })], { lr: 0.1 });
    const sched = name.includes('max')
      ? new ReduceLROnPlateau(opt, { mode: 'max', threshold: 0.02, thresholdMode: 'abs', patience: 1, cooldown: 2, factor: 0.3, minLr: 0.01 })
      : new ReduceLROnPlateau(opt, { patience: 2, factor: 0.5 });
    (c.metrics as number[]).forEach((m, i) => {
      sched.step(m);
      expect(opt.paramGroups[0].lr).toBeCloseTo(c.lrs[i], 12);
    });
  });

  test("state dicts in torch's layout restore the schedule", () => {
    const opt = new SGD([zeros([1], { requiresGrad: true })], { lr: 0.1 });
    const sched = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
    [1, 2, 3].forEach(() => sched.step());
    const saved = sched.stateDict();
    expect(saved).toEqual({ last_epoch: 3, base_lrs: [0.1], _last_lr: [0.05] });
    const opt2 = new SGD([zeros([1], { requiresGrad: true })], { lr: 0.05 });
    const again = new StepLR(opt2, { stepSize: 2, gamma: 0.5 });
    again.loadStateDict(saved);
    again.step();
    sched.step();
    expect(again.getLastLr()).toEqual(sched.getLastLr());
    expect(() => again.loadStateDict({ ...saved, base_lrs: [] })).toThrow('StepLR: base_lrs must hold one lr per parameter group (1)');
  });

  test('OneCycleLR refuses a step past the cycle and optimizers without momentum', () => {
    const p = [zeros([1], { requiresGrad: true })];
    expect(() => new OneCycleLR(new Adadelta(p), { maxLr: 1, totalSteps: 3 })).toThrow('OneCycleLR: optimizer must support momentum or betas with cycleMomentum enabled');
    const sched = new OneCycleLR(new SGD(p, { lr: 0.1, momentum: 0.9 }), { maxLr: 1, totalSteps: 3 });
    [1, 2, 3].forEach(() => sched.step());
    expect(() => sched.step()).toThrow('OneCycleLR: tried to step 4 times; the specified number of total steps is 3');
  });
});

describe('optimizer behaviour', () => {
  test('zeroGrad, skipped parameters without gradients, and state dicts', () => {
    const layer = new Linear(3, 2);
    const opt = new Adam(layer.parameters(), { lr: 0.1 });
    layer.forward(tensor([[1, 2, 3]])).sum().backward();
    layer.bias!.grad = null;
    const biasBefore = layer.bias!.toArray();
    opt.step();
    expect(layer.bias!.toArray()).toEqual(biasBefore);
    expect(opt.state.get(layer.weight)?.step).toBe(1);
    const saved = opt.stateDict();
    expect(saved.param_groups[0].params).toEqual([0, 1]);
    expect(Object.keys(saved.state)).toEqual(['0']);
    // torch's layout and names: exp_avg, exp_avg_sq, step; lr, betas, eps, weight_decay, amsgrad.
    expect(Object.keys(saved.state[0]).sort()).toEqual(['exp_avg', 'exp_avg_sq', 'step']);
    expect(Object.keys(saved.param_groups[0]).sort()).toEqual(['amsgrad', 'betas', 'eps', 'lr', 'params', 'weight_decay']);
    const again = new Adam(layer.parameters(), { lr: 0.5 });
    again.loadStateDict(saved);
    expect(again.paramGroups[0].lr).toBe(0.1);
    expect(again.state.get(layer.weight)?.step).toBe(1);
    opt.zeroGrad();
    expect(layer.weight.grad).toBeNull();
  });

  test('bad options are refused with the value', () => {
    const p = [zeros([1], { requiresGrad: true })];
    expect(() => new SGD(p, { lr: -1 })).toThrow('SGD: invalid learning rate: -1');
    expect(() => new SGD(p, { lr: 0.1, nesterov: true })).toThrow('Nesterov momentum requires a momentum and zero dampening');
    expect(() => new Adam(p, { betas: [0.9, 1] })).toThrow('Adam: invalid beta parameter at index 1: 1');
    expect(() => new SGD([], { lr: 0.1 })).toThrow('empty parameter list');
    expect(() => new SGD([zeros([2, 2]).t()], { lr: 0.1 })).toThrow('not contiguous');
  });

  test('updates bump the version of parameters, so stale saved tensors are caught', () => {
    const w = zeros([2], { requiresGrad: true });
    const opt = new SGD([w], { lr: 1 });
    const y = w.mul(w).sum();
    noGrad(() => (w.grad = tensor([1, 1])));
    opt.step();
    expect(() => y.backward()).toThrow('modified by an in-place operation');
  });
});

test('a state dict naming a parameter the optimizer lacks is refused before anything changes', () => {
  const p = zeros([2], { requiresGrad: true });
  const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
  const groups = opt.stateDict().param_groups;
  expect(() => opt.loadStateDict({ state: { 3: { momentum_buffer: zeros([2]) } }, param_groups: groups })).toThrow(
    'SGD: the loaded state dict has state for parameter 3, but this optimizer has 1 parameters',
  );
  expect(() => opt.loadStateDict({ state: {}, param_groups: [{ ...groups[0], weightdecay: 1 }] })).toThrow(
    "SGD: the loaded state dict's parameter groups have an unknown option 'weightdecay'",
  );
  expect(opt.state.size).toBe(0);
});
