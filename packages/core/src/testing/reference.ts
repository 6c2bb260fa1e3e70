import type { Tensor } from '../index';

/**
 * Batch normalization composed of reductions and arithmetic, per channel of a (N, C, ...) input:
 * (x - mean) / sqrt(variance + eps), times weight, plus bias (either null to skip). The reference
 * batchNorm's own kernels are tested and benchmarked against: pass the batch's mean and biased
 * variance (`x.mean(dims)`, `x.var(dims, { correction: 0 })`) for training, through which the
 * gradient then flows, or the running statistics for evaluation.
 */
export function batchNormReference(x: Tensor, mean: Tensor, variance: Tensor, weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  const shape = [1, x.shape[1], ...new Array<number>(x.ndim - 2).fill(1)];
  let out = x.sub(mean.reshape(shape)).div(variance.add(eps).sqrt().reshape(shape));
  if (weight !== null) out = out.mul(weight.reshape(shape));
  if (bias !== null) out = out.add(bias.reshape(shape));
  return out;
}

/**
 * Layer normalization composed of reductions and arithmetic: each sample normalized over its last
 * `dims` dims by their mean and biased variance, then times weight, plus bias (elementwise, either
 * null to skip). The reference layerNorm's own kernels are tested and benchmarked against.
 */
export function layerNormReference(x: Tensor, dims: number, weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  const normalized = Array.from({ length: dims }, (_, i) => x.ndim - dims + i);
  const mean = x.mean(normalized, true);
  const variance = x.var(normalized, { correction: 0, keepdim: true });
  let out = x.sub(mean).div(variance.add(eps).sqrt());
  if (weight !== null) out = out.mul(weight);
  if (bias !== null) out = out.add(bias);
  return out;
}
