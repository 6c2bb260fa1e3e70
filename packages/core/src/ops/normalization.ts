import { traced } from '../autograd/trace';
import { checkOptions } from '../options';
import { Context } from '../autograd/context';
import { Function } from '../autograd/function';
import { noGrad } from '../autograd/gradMode';
import { kernels, type ChannelLayout } from '../backend';
import { formatShape, numelOf, sameShape } from '../shape';
import type { Tensor } from '../tensor/tensor';
import { dataOrNull, empty, gradientOutputs, requireFloat, storageOrNull } from './util';

// Batch and layer norm are ops with kernels of their own (testing/reference.ts composes each from
// reductions and arithmetic, the reference they are tested against); group norm is composed, its
// gradient through the statistics following from the composition. Variances are biased (divided
// by n), as torch normalizes; batch norm's running variance is the unbiased one, as torch keeps it.

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

/** A (N, C, ...) input as (outer, channels, inner): N, C and the product of the dims after C. */
function channelLayout(op: string, input: Tensor): ChannelLayout {
  if (input.ndim < 2) throw new Error(`${op}: expected an input of at least 2 dims (N, C, ...), got shape ${formatShape(input.shape)}`);
  const [outer, channels, ...rest] = input.shape;
  return { outer, channels, inner: numelOf(rest) };
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

type BatchNormState = { layout: ChannelLayout; training: boolean };

/**
 * Batch norm with the statistics it normalizes by, mean and invstd = 1 / sqrt(variance + eps):
 * with x^ = (x - mean) invstd, y = x^ w + b, computed as x (invstd w) + (b - mean invstd w) per
 * channel (as torch's kernel folds them). In training the statistics are the batch's own, and the
 * gradient flows through them; in evaluation they are constants. Equal to the composition of
 * reductions and arithmetic (normalization.test.ts checks the two against each other).
 */
class BatchNorm extends Function {
  static forward(
    ctx: Context<BatchNormState>, x: Tensor, weight: Tensor | null, bias: Tensor | null, mean: Tensor, invstd: Tensor, layout: ChannelLayout, training: boolean,
  ): Tensor {
    const [m, s] = [mean.dataSync(), invstd.dataSync()];
    const w = dataOrNull(weight);
    const b = dataOrNull(bias);
    const scale = empty([layout.channels], x.dtype);
    const shift = empty([layout.channels], x.dtype);
    const [a, c] = [scale.storage.data, shift.storage.data];
    for (let k = 0; k < layout.channels; k++) {
      a[k] = s[k] * (w === null ? 1 : w[k]);
      c[k] = (b === null ? 0 : b[k]) - m[k] * a[k];
    }
    const out = empty(x.shape, x.dtype);
    kernels().channelAffine(x.dataSync(), layout, a, c, out.storage.data);
    ctx.state = { layout, training };
    ctx.saveForBackward(x, mean, invstd, ...(weight === null ? [] : [weight]));
    return out;
  }
  static backward(ctx: Context<BatchNormState>, g: Tensor) {
    const [x, mean, invstd, weight] = ctx.savedTensors;
    const { layout, training } = ctx.state;
    const [gx, gw, gb] = gradientOutputs(ctx.needsInputGrad, [x.shape, [layout.channels], [layout.channels]], g.dtype);
    kernels().batchNormBackward(
      x.dataSync(), g.dataSync(), layout, mean.dataSync(), invstd.dataSync(), dataOrNull(weight), training, storageOrNull(gx), storageOrNull(gw), storageOrNull(gb),
    );
    return [gx, gw, gb, null, null, null, null];
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
  const layout = channelLayout('batchNorm', input);
  const { channels } = layout;
  checkChannelTensor('batchNorm', 'runningMean', runningMean, channels);
  checkChannelTensor('batchNorm', 'runningVar', runningVar, channels);
  checkChannelTensor('batchNorm', 'weight', weight, channels);
  checkChannelTensor('batchNorm', 'bias', bias, channels);
  if (!training) {
    if (runningMean === null || runningVar === null) throw new Error('batchNorm: running_mean and running_var are required when not training');
    for (const [name, t] of [['runningMean', runningMean], ['runningVar', runningVar]] as const) {
      if (t.requiresGrad) throw new Error(`batchNorm: ${name} is a buffer, not differentiable, and cannot require grad (as in torch)`);
    }
    const invstd = empty([channels], input.dtype);
    const variance = runningVar.dataSync();
    for (let c = 0; c < channels; c++) invstd.storage.data[c] = 1 / Math.sqrt(variance[c] + eps);
    return BatchNorm.apply(input, weight, bias, runningMean, invstd, layout, false);
  }
  const count = layout.outer * layout.inner;
  if (count <= 1) {
    throw new Error(`batchNorm: expected more than 1 value per channel when training, got input of shape ${formatShape(input.shape)}`);
  }
  const [mean, invstd, variance] = [0, 1, 2].map(() => empty([channels], input.dtype));
  kernels().channelStats(input.dataSync(), layout, eps, mean.storage.data, invstd.storage.data, variance.storage.data);
  noGrad(() => {
    if (runningMean !== null) runningMean.mul_(1 - momentum).add_(mean.mul(momentum));
    if (runningVar !== null) runningVar.mul_(1 - momentum).add_(variance.mul((momentum * count) / (count - 1)));
  });
  return BatchNorm.apply(input, weight, bias, mean, invstd, layout, true);
});

/**
 * Layer norm with each row's statistics, mean and rstd = 1 / sqrt(variance + eps), over the
 * normalized dims' values: y = (x - mean) rstd weight + bias, the weight and bias elementwise
 * along the row, the gradient flowing through the statistics. Equal to the composition of
 * reductions and arithmetic (normalization.test.ts checks the two against each other).
 */
class LayerNorm extends Function {
  static forward(ctx: Context<readonly number[]>, x: Tensor, weight: Tensor | null, bias: Tensor | null, normalized: readonly number[], eps: number): Tensor {
    const size = numelOf(normalized);
    const rows = numelOf(x.shape.slice(0, x.ndim - normalized.length));
    const [mean, rstd] = [0, 1].map(() => empty([rows], x.dtype));
    const out = empty(x.shape, x.dtype);
    kernels().layerNormForward(x.dataSync(), rows, size, eps, dataOrNull(weight), dataOrNull(bias), out.storage.data, mean.storage.data, rstd.storage.data);
    ctx.state = normalized;
    ctx.saveForBackward(x, mean, rstd, ...(weight === null ? [] : [weight]));
    return out;
  }
  static backward(ctx: Context<readonly number[]>, g: Tensor) {
    const [x, mean, rstd, weight] = ctx.savedTensors;
    const rows = mean.numel();
    const [gx, gw, gb] = gradientOutputs(ctx.needsInputGrad, [x.shape, ctx.state, ctx.state], g.dtype);
    kernels().layerNormBackward(
      x.dataSync(), g.dataSync(), rows, numelOf(ctx.state), mean.dataSync(), rstd.dataSync(), dataOrNull(weight), storageOrNull(gx), storageOrNull(gw), storageOrNull(gb),
    );
    return [gx, gw, gb, null, null];
  }
}

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
  return LayerNorm.apply(input, weight, bias, shape, eps);
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
  const { channels } = channelLayout('groupNorm', input);
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
