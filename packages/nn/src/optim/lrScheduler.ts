import { checkOptions } from '@wick/core';
import type { Optimizer } from './optimizer';

/** A scheduler's position, in torch's layout and names. */
export interface SchedulerStateDict {
  /** How many times step() has run. */
  last_epoch: number;
  /** Each group's learning rate when the scheduler was made. */
  base_lrs: number[];
  /** Each group's learning rate after the last step. */
  _last_lr: number[];
}

/** What a scheduler needs of an optimizer's groups: an lr. */
export type WithLr = {
  /** The group's learning rate. */
  lr: number;
};

/**
 * Base of the learning-rate schedulers, as torch.optim.lr_scheduler.LRScheduler: construction
 * records each group's initial lr (epoch 0); every step() moves to the next epoch and sets the lrs.
 */
export abstract class LRScheduler {
  /** How many times step() has run (torch's last_epoch). */
  lastEpoch = 0;
  /** Each group's learning rate when the scheduler was made. */
  readonly baseLrs: number[];
  private lastLr: number[];

  /** Starts scheduling `optimizer`'s learning rates from their current values. */
  /** @param optimizer The optimizer whose learning rates are scheduled. */
  constructor(readonly optimizer: Optimizer<WithLr>) {
    this.baseLrs = optimizer.paramGroups.map((g) => g.lr);
    this.lastLr = [...this.baseLrs];
  }

  /** The lrs for lastEpoch, given the current ones (torch's chainable form). */
  protected abstract computeLr(current: readonly number[]): number[];

  /** Advances one epoch (or step, for per-step schedules) and sets each group's learning rate; call it after optimizer.step(). */
  step(): void {
    this.lastEpoch++;
    this.apply();
  }

  /** Sets the lrs for lastEpoch. */
  private apply(): void {
    const lrs = this.computeLr(this.optimizer.paramGroups.map((g) => g.lr));
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = lrs[i]));
    this.lastLr = lrs;
  }

  /**
   * Sets epoch 0's lrs, as torch's schedulers do when built: for those whose lr at epoch 0 is
   * not the optimizer's (LinearLR, LambdaLR, OneCycleLR), called once their options are set.
   */
  protected initialStep(): void {
    this.apply();
  }

  /** Each group's learning rate as the last step() set it. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The schedule's position in torch's layout and names (`last_epoch`, `base_lrs`, `_last_lr`). */
  stateDict(): SchedulerStateDict {
    return { last_epoch: this.lastEpoch, base_lrs: [...this.baseLrs], _last_lr: [...this.lastLr] };
  }

  /** Restores a position saved by stateDict() (or torch's), checked before anything changes. */
  loadStateDict(state: SchedulerStateDict): void {
    const groups = this.baseLrs.length;
    if (!Number.isInteger(state.last_epoch) || state.last_epoch < 0) throw new Error(`${this.constructor.name}: last_epoch must be a non-negative integer, got ${state.last_epoch}`);
    for (const key of ['base_lrs', '_last_lr'] as const) {
      if (!Array.isArray(state[key]) || state[key].length !== groups) {
        throw new Error(`${this.constructor.name}: ${key} must hold one lr per parameter group (${groups})`);
      }
    }
    this.lastEpoch = state.last_epoch;
    this.baseLrs.splice(0, groups, ...state.base_lrs);
    this.lastLr = [...state._last_lr];
  }
}

/** Multiplies the lr by gamma every stepSize epochs. */
export class StepLR extends LRScheduler {
  /** Epochs between decays. */
  readonly stepSize: number;
  /** The factor each decay multiplies the learning rate by. */
  readonly gamma: number;

  constructor(optimizer: Optimizer<WithLr>, options: { stepSize: number; gamma?: number }) {
    super(optimizer);
    checkOptions('StepLR', options, ['stepSize', 'gamma']);
    if (!Number.isInteger(options.stepSize) || options.stepSize <= 0) {
      throw new Error(`StepLR: stepSize must be a positive integer, got ${options.stepSize}`);
    }
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.1;
  }

  protected computeLr(current: readonly number[]): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return [...current];
    return current.map((lr) => lr * this.gamma);
  }
}

/** Cosine annealing from the base lr to etaMin over tMax epochs, with torch's recursive formula. */
export class CosineAnnealingLR extends LRScheduler {
  /** Epochs of the half cosine from the base rate down to etaMin. */
  readonly tMax: number;
  /** The lowest learning rate (default 0). */
  readonly etaMin: number;

  constructor(optimizer: Optimizer<WithLr>, options: { tMax: number; etaMin?: number }) {
    super(optimizer);
    checkOptions('CosineAnnealingLR', options, ['tMax', 'etaMin']);
    if (!(options.tMax > 0)) throw new Error(`CosineAnnealingLR: tMax must be positive, got ${options.tMax}`);
    this.tMax = options.tMax;
    this.etaMin = options.etaMin ?? 0;
  }

  protected computeLr(current: readonly number[]): number[] {
    const { lastEpoch: e, tMax: T, etaMin } = this;
    if (e === 0) return [...current];
    if ((e - 1 - T) % (2 * T) === 0) {
      return current.map((lr, i) => lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    return current.map(
      (lr) => ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (lr - etaMin) + etaMin,
    );
  }
}

/** Multiplies the lr by gamma every epoch (torch.optim.lr_scheduler.ExponentialLR). */
export class ExponentialLR extends LRScheduler {
  /** The factor each epoch multiplies the learning rate by. */
  readonly gamma: number;

  constructor(optimizer: Optimizer<WithLr>, options: { gamma: number }) {
    super(optimizer);
    checkOptions('ExponentialLR', options, ['gamma']);
    if (!(options.gamma > 0)) throw new Error(`ExponentialLR: gamma must be positive, got ${options.gamma}`);
    this.gamma = options.gamma;
  }

  protected computeLr(current: readonly number[]): number[] {
    return this.lastEpoch === 0 ? [...current] : current.map((lr) => lr * this.gamma);
  }
}

/** Multiplies the lr by gamma at each milestone epoch (torch.optim.lr_scheduler.MultiStepLR). */
export class MultiStepLR extends LRScheduler {
  /** The epochs at which the learning rate is multiplied by gamma, ascending. */
  readonly milestones: number[];
  /** The factor each milestone multiplies the learning rate by (default 0.1). */
  readonly gamma: number;

  constructor(optimizer: Optimizer<WithLr>, options: { milestones: readonly number[]; gamma?: number }) {
    super(optimizer);
    checkOptions('MultiStepLR', options, ['milestones', 'gamma']);
    if (!options.milestones.every((m) => Number.isInteger(m) && m >= 0)) {
      throw new Error(`MultiStepLR: milestones must be non-negative integers, got [${options.milestones.join(', ')}]`);
    }
    this.milestones = [...options.milestones].sort((a, b) => a - b);
    this.gamma = options.gamma ?? 0.1;
  }

  protected computeLr(current: readonly number[]): number[] {
    // A milestone listed twice multiplies twice, as torch's Counter of milestones does.
    const hits = this.milestones.filter((m) => m === this.lastEpoch).length;
    return hits === 0 ? [...current] : current.map((lr) => lr * this.gamma ** hits);
  }
}

/** Scales the lr linearly from startFactor to endFactor over totalIters epochs (torch.optim.lr_scheduler.LinearLR). */
export class LinearLR extends LRScheduler {
  /** The factor on the base rate at the start (default 1/3). */
  readonly startFactor: number;
  /** The factor on the base rate after totalIters steps (default 1). */
  readonly endFactor: number;
  /** Steps over which the factor moves from start to end (default 5). */
  readonly totalIters: number;

  constructor(optimizer: Optimizer<WithLr>, options: { startFactor?: number; endFactor?: number; totalIters?: number } = {}) {
    super(optimizer);
    checkOptions('LinearLR', options, ['startFactor', 'endFactor', 'totalIters']);
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5 } = options;
    if (!(startFactor > 0 && startFactor <= 1)) throw new Error(`LinearLR: startFactor must be in (0, 1], got ${startFactor}`);
    if (!(endFactor >= 0 && endFactor <= 1)) throw new Error(`LinearLR: endFactor must be in [0, 1], got ${endFactor}`);
    if (!Number.isInteger(totalIters) || totalIters < 1) throw new Error(`LinearLR: totalIters must be a positive integer, got ${totalIters}`);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  protected computeLr(current: readonly number[]): number[] {
    const { lastEpoch: e, startFactor: s, endFactor: f, totalIters: n } = this;
    if (e === 0) return current.map((lr) => lr * s);
    if (e > n) return [...current];
    return current.map((lr) => lr * (1 + (f - s) / (n * s + (e - 1) * (f - s))));
  }
}

/** Sets each group's lr to its base lr times lrLambda(epoch) (torch.optim.lr_scheduler.LambdaLR): one function, or one per group. */
export class LambdaLR extends LRScheduler {
  /** Each group's function of the epoch giving the factor on its base rate. */
  readonly lrLambdas: ((epoch: number) => number)[];

  constructor(optimizer: Optimizer<WithLr>, lrLambda: ((epoch: number) => number) | readonly ((epoch: number) => number)[]) {
    super(optimizer);
    const groups = optimizer.paramGroups.length;
    this.lrLambdas = typeof lrLambda === 'function' ? new Array(groups).fill(lrLambda) : [...lrLambda];
    if (this.lrLambdas.length !== groups) throw new Error(`LambdaLR: expected ${groups} lrLambdas (one per parameter group), got ${this.lrLambdas.length}`);
    this.initialStep();
  }

  protected computeLr(): number[] {
    return this.baseLrs.map((lr, i) => lr * this.lrLambdas[i](this.lastEpoch));
  }
}
