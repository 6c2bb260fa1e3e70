import type { Storage } from '../../dtype';
import type { ChannelLayout } from '../types';

// Batch normalization's per-channel passes over data laid out (outer, channels, inner): channel c
// holds the outer * inner values at n * channels * inner + c * inner + i. Sums are float64 (JS
// numbers), as torch's CPU kernels accumulate float32 input in double.

/**
 * Per-channel mean, invstd = 1 / sqrt(variance + eps) and biased variance: two passes, the mean
 * and then the squared deviations from it, invstd taken from the float64 variance, as torch
 * collects them.
 */
export function channelStats(x: Storage, layout: ChannelLayout, eps: number, mean: Storage, invstd: Storage, variance: Storage): void {
  const { outer, channels, inner } = layout;
  const count = outer * inner;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let n = 0; n < outer; n++) {
      const base = (n * channels + c) * inner;
      for (let i = base; i < base + inner; i++) sum += x[i];
    }
    const m = sum / count;
    let squares = 0;
    for (let n = 0; n < outer; n++) {
      const base = (n * channels + c) * inner;
      for (let i = base; i < base + inner; i++) {
        const d = x[i] - m;
        squares += d * d;
      }
    }
    mean[c] = m;
    variance[c] = squares / count;
    invstd[c] = 1 / Math.sqrt(squares / count + eps);
  }
}

/** out = x * scale[c] + shift[c] on channel c: batch norm's normalization, scale and shift folded together. */
export function channelAffine(x: Storage, layout: ChannelLayout, scale: Storage, shift: Storage, out: Storage): void {
  const { outer, channels, inner } = layout;
  for (let n = 0; n < outer; n++) {
    for (let c = 0; c < channels; c++) {
      const base = (n * channels + c) * inner;
      const a = scale[c];
      const b = shift[c];
      for (let i = base; i < base + inner; i++) out[i] = x[i] * a + b;
    }
  }
}

/**
 * Batch normalization's gradients from the output gradient g, given the mean and invstd it
 * normalized with and its weight (null for ones); a null output is not computed. With x^ =
 * (x - mean) invstd, y = x^ w + b: gBias = sum g, gWeight = sum g x^. In training the statistics
 * depend on x, and gx = (g - mean(g) - x^ mean(g x^)) invstd w (torch's batch_norm_backward);
 * in evaluation they are constants, and gx = g invstd w.
 */
export function batchNormBackward(
  x: Storage, g: Storage, layout: ChannelLayout, mean: Storage, invstd: Storage, weight: Storage | null, training: boolean,
  gx: Storage | null, gWeight: Storage | null, gBias: Storage | null,
): void {
  const { outer, channels, inner } = layout;
  const count = outer * inner;
  for (let c = 0; c < channels; c++) {
    const m = mean[c];
    const s = invstd[c];
    let sum = 0;
    let dot = 0;
    for (let n = 0; n < outer; n++) {
      const base = (n * channels + c) * inner;
      for (let i = base; i < base + inner; i++) {
        sum += g[i];
        dot += g[i] * (x[i] - m);
      }
    }
    if (gBias !== null) gBias[c] = sum;
    if (gWeight !== null) gWeight[c] = dot * s;
    if (gx === null) continue;
    const w = weight === null ? 1 : weight[c];
    const k = training ? (dot * s * s) / count : 0;
    const gMean = training ? sum / count : 0;
    for (let n = 0; n < outer; n++) {
      const base = (n * channels + c) * inner;
      for (let i = base; i < base + inner; i++) gx[i] = (g[i] - gMean - (x[i] - m) * k) * s * w;
    }
  }
}

// Layer normalization's passes over `rows` rows of `size` values each, normalized per row, the
// weight and bias elementwise along the row.

/**
 * Each row's mean and rstd = 1 / sqrt(variance + eps) (its statistics as channelStats takes a
 * channel's, one channel per row), and out = (x - mean[r]) rstd[r] weight + bias on row r (weight
 * and bias of `size` values, null for ones and zeros): one kernel, so the rows are read once for
 * both where the data must be copied to the kernel.
 */
export function layerNormForward(
  x: Storage, rows: number, size: number, eps: number, weight: Storage | null, bias: Storage | null, out: Storage, mean: Storage, rstd: Storage,
): void {
  channelStats(x, { outer: 1, channels: rows, inner: size }, eps, mean, rstd, new Float64Array(rows));
  for (let r = 0; r < rows; r++) {
    const m = mean[r];
    const s = rstd[r];
    for (let d = 0, i = r * size; d < size; d++, i++) {
      const v = (x[i] - m) * s;
      out[i] = (weight === null ? v : v * weight[d]) + (bias === null ? 0 : bias[d]);
    }
  }
}

/**
 * Layer normalization's gradients from the output gradient g; a null output is not computed.
 * With x^ = (x - mean) rstd and h = g weight along a row: gx = rstd (h - mean(h) - x^ mean(h x^))
 * (torch's layer_norm_backward); gWeight = g x^ and gBias = g, each summed over the rows.
 */
export function layerNormBackward(
  x: Storage, g: Storage, rows: number, size: number, mean: Storage, rstd: Storage, weight: Storage | null,
  gx: Storage | null, gWeight: Storage | null, gBias: Storage | null,
): void {
  if (gWeight !== null) gWeight.fill(0);
  if (gBias !== null) gBias.fill(0);
  for (let r = 0; r < rows; r++) {
    const m = mean[r];
    const s = rstd[r];
    const base = r * size;
    let sumH = 0;
    let sumHX = 0;
    for (let d = 0; d < size; d++) {
      const xhat = (x[base + d] - m) * s;
      const h = weight === null ? g[base + d] : g[base + d] * weight[d];
      sumH += h;
      sumHX += h * xhat;
      if (gWeight !== null) gWeight[d] += g[base + d] * xhat;
      if (gBias !== null) gBias[d] += g[base + d];
    }
    if (gx === null) continue;
    const meanH = sumH / size;
    const meanHX = sumHX / size;
    for (let d = 0; d < size; d++) {
      const xhat = (x[base + d] - m) * s;
      const h = weight === null ? g[base + d] : g[base + d] * weight[d];
      gx[base + d] = s * (h - meanH - xhat * meanHX);
    }
  }
}
