import { checkOptions } from '@wick/core';
import { LRScheduler, type WithLr } from './lrScheduler';
import type { Optimizer } from './optimizer';

/** The groups OneCycleLR can cycle the momentum of: SGD's momentum, or Adam's first beta. */
/** The options OneCycleLR cycles: the learning rate, and SGD's momentum or Adam's beta1. */
export type WithMomentum = WithLr & {
  /** SGD's momentum, cycled when cycleMomentum is on. */
  momentum?: number;
  /** Adam's betas, whose first is cycled when cycleMomentum is on. */
  betas?: [number, number];
};

/** Options of OneCycleLR, as torch's keyword arguments. */
export interface OneCycleLROptions {
  /** The peak lr, one for all groups or one per group. */
  maxLr: number | readonly number[];
  /** Steps in the cycle; or give epochs and stepsPerEpoch. */
  totalSteps?: number;
  /** With stepsPerEpoch, gives totalSteps as their product. */
  epochs?: number;
  /** With epochs, gives totalSteps as their product. */
  stepsPerEpoch?: number;
  /** Share of the cycle spent raising the lr (default 0.3). */
  pctStart?: number;
  /** 'cos' (default) or 'linear' annealing. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle the momentum inversely to the lr (default true). */
  cycleMomentum?: boolean;
  /** The lowest momentum (or Adam's beta1), at the peak learning rate (default 0.85). */
  baseMomentum?: number;
  /** The highest momentum (or beta1), at the start and end (default 0.95). */
  maxMomentum?: number;
  /** initial lr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** min lr = initial lr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Three phases (up, back down to the initial lr, then to the minimum) instead of two (default false). */
  threePhase?: boolean;
}

interface Phase {
  endStep: number;
  lr: ['initial' | 'max' | 'min', 'initial' | 'max' | 'min'];
  momentum: ['base' | 'max', 'base' | 'max'];
}

/**
 * The 1cycle policy (torch.optim.lr_scheduler.OneCycleLR), stepped after every batch: the lr
 * anneals from maxLr / divFactor up to maxLr, then down to far below the start, while the
 * momentum (or Adam's beta1) moves the other way.
 */
export class OneCycleLR extends LRScheduler {
  /** Steps in the whole cycle. */
  readonly totalSteps: number;
  private readonly phases: Phase[];
  private readonly anneal: (start: number, end: number, pct: number) => number;
  private readonly lrs: { initial: number; max: number; min: number }[];
  private readonly momenta: { base: number; max: number } | null;

  constructor(optimizer: Optimizer<WithMomentum>, options: OneCycleLROptions) {
    super(optimizer);
    checkOptions('OneCycleLR', options, ['maxLr', 'totalSteps', 'epochs', 'stepsPerEpoch', 'pctStart', 'annealStrategy', 'cycleMomentum', 'baseMomentum', 'maxMomentum', 'divFactor', 'finalDivFactor', 'threePhase']);
    const { pctStart = 0.3, annealStrategy = 'cos', cycleMomentum = true, baseMomentum = 0.85, maxMomentum = 0.95 } = options;
    const { divFactor = 25, finalDivFactor = 1e4, threePhase = false } = options;
    if (options.totalSteps !== undefined) this.totalSteps = options.totalSteps;
    else if (options.epochs !== undefined && options.stepsPerEpoch !== undefined) this.totalSteps = options.epochs * options.stepsPerEpoch;
    else throw new Error('OneCycleLR: you must define either totalSteps or both epochs and stepsPerEpoch');
    if (!Number.isInteger(this.totalSteps) || this.totalSteps <= 0) throw new Error(`OneCycleLR: expected a positive integer number of steps, got ${this.totalSteps}`);
    if (!(pctStart >= 0 && pctStart <= 1)) throw new Error(`OneCycleLR: expected pctStart between 0 and 1, got ${pctStart}`);
    if (annealStrategy !== 'cos' && annealStrategy !== 'linear') throw new Error(`OneCycleLR: annealStrategy must be 'cos' or 'linear', got '${String(annealStrategy)}'`);
    const t = this.totalSteps;
    this.phases = threePhase
      ? [
          { endStep: pctStart * t - 1, lr: ['initial', 'max'], momentum: ['max', 'base'] },
          { endStep: 2 * pctStart * t - 2, lr: ['max', 'initial'], momentum: ['base', 'max'] },
          { endStep: t - 1, lr: ['initial', 'min'], momentum: ['max', 'max'] },
        ]
      : [
          { endStep: pctStart * t - 1, lr: ['initial', 'max'], momentum: ['max', 'base'] },
          { endStep: t - 1, lr: ['max', 'min'], momentum: ['base', 'max'] },
        ];
    this.anneal =
      annealStrategy === 'cos'
        ? (start, end, pct) => end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1)
        : (start, end, pct) => (end - start) * pct + start;
    const groups = optimizer.paramGroups;
    const maxLrs = typeof options.maxLr === 'number' ? groups.map(() => options.maxLr as number) : [...options.maxLr];
    if (maxLrs.length !== groups.length) throw new Error(`OneCycleLR: expected ${groups.length} maxLr values, got ${maxLrs.length}`);
    this.lrs = maxLrs.map((max) => ({ initial: max / divFactor, max, min: max / divFactor / finalDivFactor }));
    groups.forEach((g, i) => (g.lr = this.lrs[i].initial));
    this.baseLrs.splice(0, this.baseLrs.length, ...this.lrs.map((l) => l.initial));
    this.momenta = cycleMomentum ? { base: baseMomentum, max: maxMomentum } : null;
    if (this.momenta !== null) {
      for (const g of groups) {
        if (g.momentum === undefined && g.betas === undefined) throw new Error('OneCycleLR: optimizer must support momentum or betas with cycleMomentum enabled');
      }
      this.setMomentum(maxMomentum);
    }
    this.initialStep();
  }

  private setMomentum(value: number): void {
    for (const g of this.optimizer.paramGroups as WithMomentum[]) {
      if (g.betas !== undefined) g.betas = [value, g.betas[1]];
      else g.momentum = value;
    }
  }

  protected computeLr(): number[] {
    const step = this.lastEpoch;
    if (step > this.totalSteps) throw new Error(`OneCycleLR: tried to step ${step} times; the specified number of total steps is ${this.totalSteps}`);
    let start = 0;
    for (const [i, phase] of this.phases.entries()) {
      if (step <= phase.endStep || i === this.phases.length - 1) {
        const pct = (step - start) / (phase.endStep - start);
        if (this.momenta !== null) this.setMomentum(this.anneal(this.momenta[phase.momentum[0]], this.momenta[phase.momentum[1]], pct));
        return this.lrs.map((l) => this.anneal(l[phase.lr[0]], l[phase.lr[1]], pct));
      }
      start = phase.endStep;
    }
    return this.lrs.map((l) => l.min);
  }
}
