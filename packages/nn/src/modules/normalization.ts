import { checkOptions, batchNorm, groupNorm, layerNorm, ones, tensor, zeros, type DType, type Tensor } from '@wick/core';
import { Module } from '../module';
import { Parameter } from '../parameter';

/** Options of BatchNorm1d and BatchNorm2d, as torch's keyword arguments. */
export interface BatchNormModuleOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** The running statistics' update factor (default 0.1); null for a cumulative average over all batches. */
  momentum?: number | null;
  /** Learn a per-channel scale and shift (default true). */
  affine?: boolean;
  /** Keep running statistics for eval mode (default true); without them, batch statistics are always used. */
  trackRunningStats?: boolean;
  /** The parameters' and buffers' dtype (default float32). */
  dtype?: DType;
}

/**
 * What BatchNorm1d and BatchNorm2d share, as torch's _BatchNorm: weight and bias parameters,
 * and the buffers running_mean, running_var and num_batches_tracked under torch's keys.
 */
abstract class BatchNorm extends Module {
  /** The per-channel scale (gamma), or null when not affine. */
  readonly weight: Parameter | null;
  /** The per-channel shift (beta), or null when not affine. */
  readonly bias: Parameter | null;
  /** The running mean (a buffer, torch's name), or null without running statistics. */
  declare readonly running_mean: Tensor | null;
  /** The running variance (a buffer, torch's name), or null without running statistics. */
  declare readonly running_var: Tensor | null;
  /** Batches seen in training (a buffer, torch's name), or null without running statistics. */
  declare readonly num_batches_tracked: Tensor | null;
  /** Added to the variance for stability. */
  readonly eps: number;
  /** The running statistics' update factor, or null for a cumulative average. */
  readonly momentum: number | null;
  /** Whether weight and bias are learned. */
  readonly affine: boolean;
  /** Whether running statistics are kept (and used in eval mode). */
  readonly trackRunningStats: boolean;

  constructor(
    /** Channels (C of (N, C, ...)). */
    readonly numFeatures: number,
    options: BatchNormModuleOptions,
    private readonly inputRanks: readonly number[],
  ) {
    super();
    checkOptions(this.constructor.name, options, ['eps', 'momentum', 'affine', 'trackRunningStats', 'dtype']);
    const name = this.constructor.name;
    if (!Number.isInteger(numFeatures) || numFeatures < 1) throw new Error(`${name}: numFeatures must be a positive integer, got ${numFeatures}`);
    const { eps = 1e-5, affine = true, trackRunningStats = true, dtype = 'float32' } = options;
    this.eps = eps;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    this.affine = affine;
    this.trackRunningStats = trackRunningStats;
    this.weight = affine ? new Parameter(ones([numFeatures], { dtype })) : null;
    this.bias = affine ? new Parameter(zeros([numFeatures], { dtype })) : null;
    this.registerBuffer('running_mean', trackRunningStats ? zeros([numFeatures], { dtype }) : null);
    this.registerBuffer('running_var', trackRunningStats ? ones([numFeatures], { dtype }) : null);
    this.registerBuffer('num_batches_tracked', trackRunningStats ? tensor(0, { dtype: 'int64' }) : null);
  }

  /** The running mean (the buffer 'running_mean'). */
  get runningMean(): Tensor | null {
    return this.running_mean;
  }

  /** The running (unbiased) variance (the buffer 'running_var'). */
  get runningVar(): Tensor | null {
    return this.running_var;
  }

  /** How many training batches have updated the running statistics (the buffer 'num_batches_tracked'). */
  get numBatchesTracked(): Tensor | null {
    return this.num_batches_tracked;
  }

  forward(input: Tensor): Tensor {
    const name = this.constructor.name;
    if (!this.inputRanks.includes(input.ndim)) {
      throw new Error(`${name}: expected a ${this.inputRanks.map((r) => `${r}-D`).join(' or ')} input, got shape [${input.shape.join(', ')}]`);
    }
    if (input.shape[1] !== this.numFeatures) {
      throw new Error(`${name}: expected ${this.numFeatures} channels (dim 1), got input of shape [${input.shape.join(', ')}]`);
    }
    // As torch: batch statistics while training or without running ones; the update factor is
    // momentum, or 1 / batches seen for the cumulative average.
    const useBatchStats = this.training || this.running_mean === null;
    let factor = this.momentum ?? 0;
    if (this.training && this.num_batches_tracked !== null) {
      const tracked = this.num_batches_tracked.item() + 1;
      this.num_batches_tracked.fill_(tracked);
      if (this.momentum === null) factor = 1 / tracked;
    }
    return batchNorm(input, this.running_mean, this.running_var, {
      weight: this.weight, bias: this.bias, training: useBatchStats, momentum: factor, eps: this.eps,
    });
  }

  extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }
}

/** Batch normalization of (N, C) or (N, C, L) inputs, as torch.nn.BatchNorm1d. */
export class BatchNorm1d extends BatchNorm {
  constructor(numFeatures: number, options: BatchNormModuleOptions = {}) {
    super(numFeatures, options, [2, 3]);
  }
}

/** Batch normalization of (N, C, H, W) inputs, as torch.nn.BatchNorm2d. */
export class BatchNorm2d extends BatchNorm {
  constructor(numFeatures: number, options: BatchNormModuleOptions = {}) {
    super(numFeatures, options, [4]);
  }
}

/** Options of LayerNorm. */
export interface LayerNormModuleOptions {
  /** Added to the variance for stability (default 1e-5). */
  eps?: number;
  /** Learn an elementwise scale (and shift, unless bias is false) (default true). */
  elementwiseAffine?: boolean;
  /** Learn the shift too (default true). */
  bias?: boolean;
  /** The parameters' dtype (default float32). */
  dtype?: DType;
}

/** Layer normalization over the last dims, as torch.nn.LayerNorm (weight ones, bias zeros). */
export class LayerNorm extends Module {
  /** The trailing shape normalized over. */
  readonly normalizedShape: number[];
  /** The elementwise scale, or null without elementwiseAffine. */
  readonly weight: Parameter | null;
  /** The elementwise shift, or null without one. */
  readonly bias: Parameter | null;
  /** Added to the variance for stability. */
  readonly eps: number;
  /** Whether weight (and bias) are learned. */
  readonly elementwiseAffine: boolean;

  constructor(normalizedShape: number | readonly number[], options: LayerNormModuleOptions = {}) {
    super();
    checkOptions('LayerNorm', options, ['eps', 'elementwiseAffine', 'bias', 'dtype']);
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (!this.normalizedShape.every((s) => Number.isInteger(s) && s > 0)) {
      throw new Error(`LayerNorm: normalizedShape must be positive integers, got [${this.normalizedShape.join(', ')}]`);
    }
    const { eps = 1e-5, elementwiseAffine = true, dtype = 'float32' } = options;
    this.eps = eps;
    this.elementwiseAffine = elementwiseAffine;
    this.weight = elementwiseAffine ? new Parameter(ones(this.normalizedShape, { dtype })) : null;
    this.bias = elementwiseAffine && options.bias !== false ? new Parameter(zeros(this.normalizedShape, { dtype })) : null;
  }

  forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  extraRepr(): string {
    return `(${this.normalizedShape.join(', ')}${this.normalizedShape.length === 1 ? ',' : ''}), eps=${this.eps}, elementwiseAffine=${this.elementwiseAffine}`;
  }
}

/** Group normalization, as torch.nn.GroupNorm (weight ones, bias zeros). */
export class GroupNorm extends Module {
  /** The per-channel scale, or null when not affine. */
  readonly weight: Parameter | null;
  /** The per-channel shift, or null when not affine. */
  readonly bias: Parameter | null;
  /** Added to the variance for stability. */
  readonly eps: number;
  /** Whether weight and bias are learned. */
  readonly affine: boolean;

  constructor(
    /** Groups the channels are split into. */
    readonly numGroups: number,
    /** Channels of the input. */
    readonly numChannels: number,
    options: { eps?: number; affine?: boolean; dtype?: DType } = {},
  ) {
    super();
    checkOptions('GroupNorm', options, ['eps', 'affine', 'dtype']);
    if (!Number.isInteger(numGroups) || numGroups < 1 || numChannels % numGroups !== 0) {
      throw new Error(`GroupNorm: numChannels (${numChannels}) must be divisible by numGroups (${numGroups})`);
    }
    const { eps = 1e-5, affine = true, dtype = 'float32' } = options;
    this.eps = eps;
    this.affine = affine;
    this.weight = affine ? new Parameter(ones([numChannels], { dtype })) : null;
    this.bias = affine ? new Parameter(zeros([numChannels], { dtype })) : null;
  }

  forward(input: Tensor): Tensor {
    return groupNorm(input, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${this.affine}`;
  }
}
