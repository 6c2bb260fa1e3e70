import { checkOptions } from '@wick/core';
import type { WithLr } from './lrScheduler';
import type { Optimizer } from './optimizer';

/** Options of ReduceLROnPlateau, as torch's keyword arguments. */
export interface ReduceLROnPlateauOptions {
  /** 'min' (default): lower metrics are better; 'max': higher are. */
  mode?: 'min' | 'max';
  /** The lr is multiplied by this on a plateau (default 0.1). */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** The least change that counts as an improvement (default 1e-4). */
  threshold?: number;
  /** 'rel' (default): relative to the best; 'abs': absolute. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** The lr floor, one for all groups or one per group (default 0). */
  minLr?: number | readonly number[];
  /** Reductions smaller than this are skipped (default 1e-8). */
  eps?: number;
}

/**
 * Reduces the lr when a metric stops improving (torch.optim.lr_scheduler.ReduceLROnPlateau):
 * step(metric) after each epoch's validation.
 */
export class ReduceLROnPlateau {
  /** 'min': reduce when the metric stops falling; 'max': when it stops rising. */
  readonly mode: 'min' | 'max';
  /** The factor each reduction multiplies the learning rate by. */
  readonly factor: number;
  /** Epochs without improvement tolerated before a reduction. */
  readonly patience: number;
  /** How much better than the best a metric must be to count as an improvement. */
  readonly threshold: number;
  /** Whether threshold is relative ('rel') or absolute ('abs'). */
  readonly thresholdMode: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again. */
  readonly cooldown: number;
  /** Each group's lowest learning rate. */
  readonly minLrs: number[];
  /** Reductions smaller than this are skipped. */
  readonly eps: number;
  /** The best metric seen so far. */
  best: number;
  /** Epochs since the last improvement. */
  numBadEpochs = 0;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;
  /** How many times step() has run. */
  lastEpoch = 0;

  constructor(
    /** The optimizer whose learning rates are reduced. */
    readonly optimizer: Optimizer<WithLr>,
    options: ReduceLROnPlateauOptions = {},
  ) {
    checkOptions('ReduceLROnPlateau', options, ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps']);
    const { mode = 'min', factor = 0.1, patience = 10, threshold = 1e-4, thresholdMode = 'rel', cooldown = 0, minLr = 0, eps = 1e-8 } = options;
    if (!(factor < 1)) throw new Error(`ReduceLROnPlateau: factor should be < 1.0, got ${factor}`);
    if (mode !== 'min' && mode !== 'max') throw new Error(`ReduceLROnPlateau: mode must be 'min' or 'max', got '${String(mode)}'`);
    if (thresholdMode !== 'rel' && thresholdMode !== 'abs') throw new Error(`ReduceLROnPlateau: thresholdMode must be 'rel' or 'abs', got '${String(thresholdMode)}'`);
    const groups = optimizer.paramGroups.length;
    this.minLrs = typeof minLr === 'number' ? new Array(groups).fill(minLr) : [...minLr];
    if (this.minLrs.length !== groups) throw new Error(`ReduceLROnPlateau: expected ${groups} minLr values, got ${this.minLrs.length}`);
    this.mode = mode;
    this.factor = factor;
    this.patience = patience;
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
    this.cooldown = cooldown;
    this.eps = eps;
    this.best = mode === 'min' ? Infinity : -Infinity;
  }

  private isBetter(value: number): boolean {
    const { mode, thresholdMode: tm, threshold: t, best } = this;
    if (mode === 'min') return tm === 'rel' ? value < best * (1 - t) : value < best - t;
    return tm === 'rel' ? value > best * (t + 1) : value > best + t;
  }

  /** Records one epoch's metric and reduces the lrs after more than `patience` epochs without improvement. */
  step(metric: number): void {
    if (!Number.isFinite(metric)) throw new Error(`ReduceLROnPlateau: the metric must be a finite number, got ${metric}`);
    this.lastEpoch++;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else this.numBadEpochs++;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const reduced = Math.max(g.lr * this.factor, this.minLrs[i]);
        if (g.lr - reduced > this.eps) g.lr = reduced;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
  }

  /** The lrs now in force. */
  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}
