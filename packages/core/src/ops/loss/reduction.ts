import type { ClassTargets, LossLayout } from '../../backend';
import type { Storage } from '../../dtype';
import { full, tensor } from '../../tensor/creation';
import type { Tensor } from '../../tensor/tensor';
import { dataOrNull } from '../util';

/** How a loss reduces its per-sample values: kept ('none'), averaged ('mean') or summed ('sum'). */
export type Reduction = 'none' | 'mean' | 'sum';

/** The kernels' view of class-index targets. */
export function classTargets(target: Tensor, weight: Tensor | null, ignoreIndex: number): ClassTargets {
  return { target: target.dataSync(), weight: dataOrNull(weight), ignoreIndex };
}

/** Turns per-sample losses into the requested reduction; `divisor` is what 'mean' divides by. */
export function reduceLosses(losses: Storage, reduction: Reduction, divisor: number, shape: readonly number[], like: Tensor): Tensor {
  if (reduction === 'none') return tensor(losses, { shape, dtype: like.dtype });
  let total = 0;
  for (let i = 0; i < losses.length; i++) total += losses[i];
  return full([], reduction === 'sum' ? total : total / divisor, { dtype: like.dtype });
}

/** The gradient reaching each sample's loss: g itself ('none'), g ('sum'), or g / divisor ('mean'). */
export function sampleScale(g: Tensor, reduction: Reduction, divisor: number, layout: LossLayout): Float64Array {
  if (reduction === 'none') return Float64Array.from(g.dataSync());
  const value = reduction === 'sum' ? g.item() : g.item() / divisor;
  return new Float64Array(layout.outer * layout.inner).fill(value);
}

/** Per-sample loss storage of the input's float type. */
export function perSample(like: Tensor, layout: LossLayout): Storage {
  const samples = layout.outer * layout.inner;
  return like.dtype === 'float64' ? new Float64Array(samples) : new Float32Array(samples);
}
