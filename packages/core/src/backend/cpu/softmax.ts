import type { Storage } from '../../dtype';

/**
 * (log)softmax of one row (`size` elements `inner` apart from `start`) into out (or nowhere, when
 * only the statistic is wanted); returns the row's log-sum-exp. Max-subtracted, so logits of
 * any magnitude stay finite: log_softmax(x) = x - m - log(sum(exp(x - m))), m = max(x).
 */
export function softmaxRow(x: Storage, start: number, size: number, inner: number, out: Storage | null, log: boolean): number {
  const end = start + size * inner;
  let m = -Infinity;
  for (let p = start; p < end; p += inner) if (x[p] > m) m = x[p];
  if (m === -Infinity) m = 0; // a row of -inf gives NaN below, as in torch, without inf - inf here.
  let s = 0;
  if (out !== null && !log) {
    // Keep each exponential: the softmax is it over the sum.
    for (let p = start; p < end; p += inner) {
      const e = Math.exp(x[p] - m);
      out[p] = e;
      s += e;
    }
    for (let p = start; p < end; p += inner) out[p] /= s;
  } else {
    for (let p = start; p < end; p += inner) s += Math.exp(x[p] - m);
  }
  const lse = m + Math.log(s);
  if (out !== null && log) for (let p = start; p < end; p += inner) out[p] = x[p] - lse;
  return lse;
}

/** (log)softmax over the middle axis of (outer, size, inner). */
export function softmax(x: Storage, outer: number, size: number, inner: number, out: Storage, log: boolean): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) softmaxRow(x, o * size * inner + i, size, inner, out, log);
  }
}

/**
 * log_softmax: gx = gy - exp(y) * sum(gy);  softmax: gx = y * (gy - sum(gy * y)).
 */
export function softmaxBackward(
  y: Storage,
  gy: Storage,
  outer: number,
  size: number,
  inner: number,
  gx: Storage,
  log: boolean,
): void {
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    for (let i = 0; i < inner; i++) {
      const start = base + i;
      const end = start + size * inner;
      let s = 0;
      if (log) {
        for (let p = start; p < end; p += inner) s += gy[p];
        for (let p = start; p < end; p += inner) gx[p] = gy[p] - Math.exp(y[p]) * s;
      } else {
        for (let p = start; p < end; p += inner) s += gy[p] * y[p];
        for (let p = start; p < end; p += inner) gx[p] = y[p] * (gy[p] - s);
      }
    }
  }
}
