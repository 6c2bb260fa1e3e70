import type { Storage } from '../../dtype';
import type { MatrixOperand } from '../backend';
import { forEachBatch } from '../batches';

/** Rows of B kept hot in cache while every row of A streams past them. */
const K_BLOCK = 64;

let scratch = new Float64Array(0);
/** An m x n float64 accumulator starting at the bias row (or zero). */
function accumulator(m: number, n: number, bias: Storage | null): Float64Array {
  if (scratch.length < m * n) scratch = new Float64Array(m * n);
  if (bias === null) scratch.fill(0, 0, m * n);
  else for (let i = 0; i < m; i++) scratch.set(bias, i * n);
  return scratch;
}

/**
 * C = A B (+ bias on every row) for one matrix, A logically m x k with element (i, p) at
 * a[ao + i*ai + p*ap], B logically k x n with element (p, j) at b[bo + p*bp + j*bj].
 */
function gemm(
  a: Storage, ao: number, ai: number, ap: number,
  b: Storage, bo: number, bp: number, bj: number,
  bias: Storage | null, c: Storage, co: number, m: number, k: number, n: number,
): void {
  if (bj === 1) {
    // i-p-j order: the innermost loop is a unit-stride axpy over a row of B and of C,
    // accumulated in float64 and blocked over p so a slab of B stays in cache.
    const acc = accumulator(m, n, bias);
    for (let p0 = 0; p0 < k; p0 += K_BLOCK) {
      const p1 = Math.min(p0 + K_BLOCK, k);
      for (let i = 0; i < m; i++) {
        const row = i * n;
        for (let p = p0; p < p1; p++) {
          const av = a[ao + i * ai + p * ap];
          const bRow = bo + p * bp;
          for (let j = 0; j < n; j++) acc[row + j] += av * b[bRow + j];
        }
      }
    }
    for (let t = 0; t < m * n; t++) c[co + t] = acc[t];
    return;
  }
  if (ap === 1 && bp === 1) {
    // A row-major and B stored transposed: each entry is a unit-stride dot product.
    for (let i = 0; i < m; i++) {
      const aRow = ao + i * ai;
      for (let j = 0; j < n; j++) {
        const bRow = bo + j * bj;
        let s = bias === null ? 0 : bias[j];
        for (let p = 0; p < k; p++) s += a[aRow + p] * b[bRow + p];
        c[co + i * n + j] = s;
      }
    }
    return;
  }
  // Any other layout: pack B row-major once, then take the fast path.
  const packed = new Float64Array(k * n);
  for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) packed[p * n + j] = b[bo + p * bp + j * bj];
  gemm(a, ao, ai, ap, packed, 0, n, 1, bias, c, co, m, k, n);
}

export function matmul(
  a: MatrixOperand,
  b: MatrixOperand,
  bias: Storage | null,
  out: Storage,
  batchShape: readonly number[],
  m: number,
  k: number,
  n: number,
): void {
  const [ai, ap] = a.transposed ? [1, m] : [k, 1];
  const [bp, bj] = b.transposed ? [1, k] : [n, 1];
  forEachBatch(batchShape, a, b, (t, ao, bo) => gemm(a.data, ao, ai, ap, b.data, bo, bp, bj, bias, out, t * m * n, m, k, n));
}
