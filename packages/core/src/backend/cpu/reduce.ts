import type { Storage } from '../../dtype';

/** The reductions of reduce(): sum, or max/min propagating NaN. */
export type ReduceOp = 'sum' | 'max' | 'min';
/** The reductions of argReduce(). */
export type ArgReduceOp = 'max' | 'min';

/** Reduces the middle axis of x viewed as (outer, size, inner). Sums accumulate in float64. */
export function reduce(op: ReduceOp, x: Storage, outer: number, size: number, inner: number, out: Storage): void {
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    for (let i = 0; i < inner; i++) {
      let p = base + i;
      let acc: number;
      if (op === 'sum') {
        acc = 0;
        for (let s = 0; s < size; s++, p += inner) acc += x[p];
      } else if (op === 'max') {
        acc = -Infinity;
        for (let s = 0; s < size; s++, p += inner) {
          const v = x[p];
          if (v > acc || v !== v) acc = v;
          if (acc !== acc) break;
        }
      } else {
        acc = Infinity;
        for (let s = 0; s < size; s++, p += inner) {
          const v = x[p];
          if (v < acc || v !== v) acc = v;
          if (acc !== acc) break;
        }
      }
      out[o * inner + i] = acc;
    }
  }
}

/** Max or min with the index of its first occurrence; NaN wins, as in torch. */
export function argReduce(
  op: ArgReduceOp,
  x: Storage,
  outer: number,
  size: number,
  inner: number,
  values: Storage,
  indices: Storage,
): void {
  const better = op === 'max' ? (v: number, b: number) => v > b : (v: number, b: number) => v < b;
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    for (let i = 0; i < inner; i++) {
      let best = x[base + i];
      let at = 0;
      for (let s = 1; s < size && best === best; s++) {
        const v = x[base + s * inner + i];
        if (better(v, best) || v !== v) {
          best = v;
          at = s;
        }
      }
      values[o * inner + i] = best;
      indices[o * inner + i] = at;
    }
  }
}
