import { traced } from '../autograd/trace';
import { checkOptions } from '../options';
import { noGrad } from '../autograd/gradMode';
import { formatShape, sameShape } from '../shape';
import type { Tensor } from '../tensor/tensor';
import { requireFloat } from './util';

// Normalizations composed from reductions and arithmetic: the gradients through the batch
// statistics follow from the composition. Variances are biased (divided by n), as torch
// normalizes; batch norm's running variance is the unbiased one, as torch keeps it.

/** Options of batchNorm, as torch.nn.functional.batch_norm's. */
export interface BatchNormOptions {
  /** Per-channel scale (gamma), or null. */
  weight?: Tensor | null;
  /** Per-channel shift (beta), or null. */
  bias?: Tensor | null;
  /** Normalize with this batch's statistics (and update the running ones) rather than the running ones (default false). */
  training?: boolean;
  /** The running statistics' update factor (default 0.1). */
  momentum?: number;
  /** Added to the variance for stability (default 1e-5). */
  eps?: number;
}

/** The channel dim's size, and the dims batch norm reduces over: all but the channel dim (1). */
function channelDims(op: string, input: Tensor): [number, number[]] {
  if (input.ndim < 2) throw new Error(`${op}: expected an input of at least 2 dims (N, C, ...), got shape ${formatShape(input.shape)}`);
  return [input.shape[1], [0, ...Array.from({ length: input.ndim - 2 }, (_, i) => i + 2)]];
}

/** A per-channel (C) tensor shaped to broadcast over (N, C, ...). */
function perChannel(t: Tensor, ndim: number): Tensor {
  return t.reshape([1, t.shape[0], ...new Array(ndim - 2).fill(1)]);
}

function checkChannelTensor(op: string, name: string, t: Tensor | null | undefined, channels: number): void {
  if (t !== null && t !== undefined && (t.ndim !== 1 || t.shape[0] !== channels)) {
    throw new Error(`${op}: ${name} must be a 1-D tensor of ${channels} values (one per channel), got shape ${formatShape(t.shape)}`);
  }
}

/**
 * Batch normalization (torch.nn.functional.batch_norm) of a (N, C, ...) input per channel: with
 * this batch's mean and biased variance when training (running statistics, if given, are then
 * updated in place: running = (1 - momentum) running + momentum stat, the variance unbiased), else
 * with the running statistics; then scaled and shifted per channel.
 */
export const batchNorm = traced('batchNorm', function batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, options: BatchNormOptions = {}): Tensor {
  checkOptions('batchNorm', options, ['weight', 'bias', 'training', 'momentum', 'eps']);
  requireFloat('batchNorm', input);
  const { weight = null, bias = null, training = false, momentum = 0.1, eps = 1e-5 } = options;
  const [channels, dims] = channelDims('batchNorm', input);
  checkChannelTensor('batchNorm', 'runningMean', runningMean, channels);
  checkChannelTensor('batchNorm', 'runningVar', runningVar, channels);
  checkChannelTensor('batchNorm', 'weight', weight, channels);
  checkChannelTensor('batchNorm', 'bias', bias, channels);
  let mean: Tensor;
  let variance: Tensor;
  if (training) {
    const count = input.numel() / channels;
    if (count <= 1) {
      throw new Error(`batchNorm: expected more than 1 value per channel when training, got input of shape ${formatShape(input.shape)}`);
    }
    mean = input.mean(dims);
    variance = input.var(dims, { correction: 0 });
    noGrad(() => {
      if (runningMean !== null) runningMean.mul_(1 - momentum).add_(mean.mul(momentum));
      if (runningVar !== null) runningVar.mul_(1 - momentum).add_(variance.mul((momentum * count) / (count - 1)));
    });
  } else {
    if (runningMean === null || runningVar === null) throw new Error('batchNorm: running_mean and running_var are required when not training');
    mean = runningMean;
    variance = runningVar;
  }
  let out = input.sub(perChannel(mean, input.ndim)).div(perChannel(variance.add(eps).sqrt(), input.ndim));
  if (weight !== null) out = out.mul(perChannel(weight, input.ndim));
  if (bias !== null) out = out.add(perChannel(bias, input.ndim));
  return out;
});

/** Options of layerNorm. */
export interface LayerNormOptions {
  /** Elementwise scale of normalizedShape, or null. */
  weight?: Tensor | null;
  /** Elementwise shift of normalizedShape, or null. */
  bias?: Tensor | null;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/**
 * Layer normalization (torch.nn.functional.layer_norm): each sample normalized over its last
 * dims, normalizedShape, with their mean and biased variance, then scaled and shifted elementwise.
 */
export const layerNorm = traced('layerNorm', function layerNorm(input: Tensor, normalizedShape: number | readonly number[], options: LayerNormOptions = {}): Tensor {
  checkOptions('layerNorm', options, ['weight', 'bias', 'eps']);
  requireFloat('layerNorm', input);
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  const { weight = null, bias = null, eps = 1e-5 } = options;
  if (shape.length === 0 || shape.length > input.ndim || !sameShape(input.shape.slice(input.ndim - shape.length), shape)) {
    throw new Error(
      `layerNorm: given normalizedShape ${formatShape(shape)}, expected an input whose last dims are ${formatShape(shape)}, got shape ${formatShape(input.shape)}`,
    );
  }
  for (const [name, t] of [['weight', weight], ['bias', bias]] as const) {
    if (t !== null && !sameShape(t.shape, shape)) throw new Error(`layerNorm: ${name} must have the normalized shape ${formatShape(shape)}, got ${formatShape(t.shape)}`);
  }
  const dims = shape.map((_, i) => input.ndim - shape.length + i);
  const mean = input.mean(dims, true);
  const variance = input.var(dims, { correction: 0, keepdim: true });
  let out = input.sub(mean).div(variance.add(eps).sqrt());
  if (weight !== null) out = out.mul(weight);
  if (bias !== null) out = out.add(bias);
  return out;
});

/** Options of groupNorm. */
export interface GroupNormOptions {
  /** Per-channel scale, or null. */
  weight?: Tensor | null;
  /** Per-channel shift, or null. */
  bias?: Tensor | null;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/**
 * Group normalization (torch.nn.functional.group_norm): the channels of each sample split into
 * numGroups groups, each normalized over its channels and positions, then scaled and shifted per channel.
 */
export const groupNorm = traced('groupNorm', function groupNorm(input: Tensor, numGroups: number, options: GroupNormOptions = {}): Tensor {
  checkOptions('groupNorm', options, ['weight', 'bias', 'eps']);
  requireFloat('groupNorm', input);
  const [channels] = channelDims('groupNorm', input);
  const { weight = null, bias = null, eps = 1e-5 } = options;
  if (!Number.isInteger(numGroups) || numGroups < 1 || channels % numGroups !== 0) {
    throw new Error(`groupNorm: expected the number of channels (${channels}) to be divisible by numGroups (${numGroups})`);
  }
  checkChannelTensor('groupNorm', 'weight', weight, channels);
  checkChannelTensor('groupNorm', 'bias', bias, channels);
  const grouped = input.reshape(input.shape[0], numGroups, -1);
  const mean = grouped.mean(2, true);
  const variance = grouped.var(2, { correction: 0, keepdim: true });
  let out = grouped.sub(mean).div(variance.add(eps).sqrt()).reshape(input.shape);
  if (weight !== null) out = out.mul(perChannel(weight, input.ndim));
  if (bias !== null) out = out.add(perChannel(bias, input.ndim));
  return out;
});
