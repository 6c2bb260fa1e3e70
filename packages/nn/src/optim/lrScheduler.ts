import type { Optimizer } from './optimizer';

type WithLr = { lr: number };

/**
 * Base of the learning-rate schedulers, as torch.optim.lr_scheduler.LRScheduler: construction
 * records each group's initial lr (epoch 0); every step() moves to the next epoch and sets the lrs.
 */
export abstract class LRScheduler {
  lastEpoch = 0;
  readonly baseLrs: number[];
  private lastLr: number[];

  constructor(readonly optimizer: Optimizer<WithLr>) {
    this.baseLrs = optimizer.paramGroups.map((g) => g.lr);
    this.lastLr = [...this.baseLrs];
  }

  /** The lrs for lastEpoch, given the current ones (torch's chainable form). */
  protected abstract computeLr(current: readonly number[]): number[];

  step(): void {
    this.lastEpoch++;
    const lrs = this.computeLr(this.optimizer.paramGroups.map((g) => g.lr));
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = lrs[i]));
    this.lastLr = lrs;
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): { lastEpoch: number; baseLrs: number[]; lastLr: number[] } {
    return { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs], lastLr: [...this.lastLr] };
  }

  loadStateDict(state: { lastEpoch: number; lastLr: number[] }): void {
    this.lastEpoch = state.lastEpoch;
    this.lastLr = [...state.lastLr];
  }
}

/** Multiplies the lr by gamma every stepSize epochs. */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: Optimizer<WithLr>, options: { stepSize: number; gamma?: number }) {
    super(optimizer);
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
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: Optimizer<WithLr>, options: { tMax: number; etaMin?: number }) {
    super(optimizer);
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
