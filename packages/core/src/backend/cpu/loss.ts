import type { Storage } from '../../dtype';
import type { ClassTargets, LossLayout } from '../types';
import { softmaxRow } from './softmax';

/**
 * Input x is viewed as (outer, C, inner), class dim in the middle; sample s = (o, i) reads
 * x[(o*C + c)*inner + i] and its target t[o*inner + i]. Every kernel here works one sample at a time.
 */

/** Calls visit(s, base) for every sample s, base being the offset of its class 0 in x. */
function forEachSample(layout: LossLayout, visit: (s: number, base: number) => void): void {
  const { outer, classes, inner } = layout;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) visit(o * inner + i, o * classes * inner + i);
  }
}

/** Forward NLL: loss[s] = -w[y] x[s, y] (0 where y is ignored); returns the sum of w[y] kept. */
export function nllLossForward(x: Storage, targets: ClassTargets, layout: LossLayout, loss: Storage): number {
  const { target, weight, ignoreIndex } = targets;
  const { inner } = layout;
  let totalWeight = 0;
  forEachSample(layout, (s, base) => {
    const y = target[s];
    if (y === ignoreIndex) {
      loss[s] = 0;
      return;
    }
    const w = weight === null ? 1 : weight[y];
    loss[s] = -w * x[base + y * inner];
    totalWeight += w;
  });
  return totalWeight;
}

/** d loss[s] / d x[s, y] = -w[y]; scale[s] carries the upstream gradient and the reduction. */
export function nllLossBackward(targets: ClassTargets, layout: LossLayout, scale: Storage, gx: Storage): void {
  const { target, weight, ignoreIndex } = targets;
  gx.fill(0);
  forEachSample(layout, (s, base) => {
    const y = target[s];
    if (y !== ignoreIndex) gx[base + y * layout.inner] = -(weight === null ? 1 : weight[y]) * scale[s];
  });
}

/**
 * Cross-entropy with class-index targets and label smoothing eps (log p_c = x_c - lse):
 *   loss = (1 - eps) * (-w_y log p_y) + (eps / C) * (-sum_c w_c log p_c).
 * Writes the softmax p for backward (the exponentials computed here are not computed again) and
 * returns the sum of w[y] over kept samples (the mean's divisor).
 */
export function crossEntropyForward(
  x: Storage, targets: ClassTargets, layout: LossLayout, labelSmoothing: number, loss: Storage, probs: Storage,
): number {
  const lse = new Float64Array(layout.outer * layout.inner);
  forEachSample(layout, (s, base) => {
    lse[s] = softmaxRow(x, base, layout.classes, layout.inner, probs, false);
  });
  return crossEntropyLosses(x, targets, layout, labelSmoothing, lse, loss);
}

/** crossEntropyForward's losses given each sample's log-sum-exp; returns the summed w[y]. */
export function crossEntropyLosses(
  x: Storage, targets: ClassTargets, layout: LossLayout, labelSmoothing: number, lse: Float64Array, loss: Storage,
): number {
  const { classes: C, inner } = layout;
  const { target, weight, ignoreIndex } = targets;
  const eps = labelSmoothing;
  let totalWeight = 0;
  forEachSample(layout, (s, base) => {
    const l = lse[s];
    const y = target[s];
    if (y === ignoreIndex) {
      loss[s] = 0;
      return;
    }
    const wy = weight === null ? 1 : weight[y];
    let value = -(1 - eps) * wy * (x[base + y * inner] - l);
    if (eps > 0) {
      let smooth = 0;
      for (let c = 0, p = base; c < C; c++, p += inner) smooth -= (weight === null ? 1 : weight[c]) * (x[p] - l);
      value += (eps / C) * smooth;
    }
    loss[s] = value;
    totalWeight += wy;
  });
  return totalWeight;
}

/**
 * d loss / d x_k = p_k ((1 - eps) w_y + (eps / C) W) - ((1 - eps) w_y [k = y] + (eps / C) w_k),
 * with W = sum_c w_c: without weights and smoothing, softmax minus one-hot. Times scale[s].
 */
export function crossEntropyBackward(
  probs: Storage, targets: ClassTargets, layout: LossLayout, labelSmoothing: number, scale: Storage, gx: Storage,
): void {
  const { classes: C, inner } = layout;
  const { target, weight, ignoreIndex } = targets;
  const eps = labelSmoothing;
  let W = C;
  if (weight !== null) {
    W = 0;
    for (let c = 0; c < C; c++) W += weight[c];
  }
  forEachSample(layout, (s, base) => {
    const y = target[s];
    if (y === ignoreIndex) {
      for (let c = 0, p = base; c < C; c++, p += inner) gx[p] = 0;
      return;
    }
    const g = scale[s];
    const wy = weight === null ? 1 : weight[y];
    const pCoef = ((1 - eps) * wy + (eps / C) * W) * g;
    if (weight === null && eps === 0) {
      for (let c = 0, p = base; c < C; c++, p += inner) gx[p] = probs[p] * pCoef;
    } else {
      for (let c = 0, p = base; c < C; c++, p += inner) {
        gx[p] = probs[p] * pCoef - (eps / C) * (weight === null ? 1 : weight[c]) * g;
      }
    }
    gx[base + y * inner] -= (1 - eps) * wy * g;
  });
}

/**
 * Cross-entropy with class-probability targets: t' = (1 - eps) t + eps / C, and
 * loss[s] = -sum_c w_c t'_c log p_c. Writes lse[s] for backward.
 */
export function softCrossEntropyForward(
  x: Storage, target: Storage, weight: Storage | null, layout: LossLayout, labelSmoothing: number, loss: Storage, lse: Storage,
): void {
  const { classes: C, inner } = layout;
  const eps = labelSmoothing;
  forEachSample(layout, (s, base) => {
    const l = softmaxRow(x, base, C, inner, null, false);
    lse[s] = l;
    let value = 0;
    for (let c = 0, p = base; c < C; c++, p += inner) {
      value -= (weight === null ? 1 : weight[c]) * ((1 - eps) * target[p] + eps / C) * (x[p] - l);
    }
    loss[s] = value;
  });
}

/**
 * d loss / d x_k = p_k sum_c w_c t'_c - w_k t'_k;  d loss / d t_k = -(1 - eps) w_k log p_k.
 * Either output may be null when not wanted. Times scale[s].
 */
export function softCrossEntropyBackward(
  x: Storage, lse: Storage, target: Storage, weight: Storage | null, layout: LossLayout, labelSmoothing: number,
  scale: Storage, gx: Storage | null, gt: Storage | null,
): void {
  const { classes: C, inner } = layout;
  const eps = labelSmoothing;
  forEachSample(layout, (s, base) => {
    const g = scale[s];
    const l = lse[s];
    if (gx !== null) {
      let mass = 0;
      for (let c = 0, p = base; c < C; c++, p += inner) mass += (weight === null ? 1 : weight[c]) * ((1 - eps) * target[p] + eps / C);
      for (let c = 0, p = base; c < C; c++, p += inner) {
        const wc = weight === null ? 1 : weight[c];
        gx[p] = (Math.exp(x[p] - l) * mass - wc * ((1 - eps) * target[p] + eps / C)) * g;
      }
    }
    if (gt !== null) {
      for (let c = 0, p = base; c < C; c++, p += inner) gt[p] = -(1 - eps) * (weight === null ? 1 : weight[c]) * (x[p] - l) * g;
    }
  });
}
