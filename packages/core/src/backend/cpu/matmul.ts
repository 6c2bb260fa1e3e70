import type { Storage } from '../../dtype';
import type { MatrixOperand } from '../types';
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
    // i-p-j order: the innermost loop is a unit-stride axpy over a row of B into rows of C,
    // accumulated in float64 and blocked over p so a slab of B stays in cache. Four rows of A
    // share each load of B; every sum still runs over p in order.
    const acc = accumulator(m, n, bias);
    for (let p0 = 0; p0 < k; p0 += K_BLOCK) {
      const p1 = Math.min(p0 + K_BLOCK, k);
      let i = 0;
      for (; i + 4 <= m; i += 4) {
        const r0 = i * n;
        const [r1, r2, r3] = [r0 + n, r0 + 2 * n, r0 + 3 * n];
        for (let p = p0; p < p1; p++) {
          const at = ao + i * ai + p * ap;
          const [a0, a1, a2, a3] = [a[at], a[at + ai], a[at + 2 * ai], a[at + 3 * ai]];
          const bRow = bo + p * bp;
          for (let j = 0; j < n; j++) {
            const bv = b[bRow + j];
            acc[r0 + j] += a0 * bv;
            acc[r1 + j] += a1 * bv;
            acc[r2 + j] += a2 * bv;
            acc[r3 + j] += a3 * bv;
          }
        }
      }
      for (; i < m; i++) {
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
    // A row-major and B stored transposed: each entry is a unit-stride dot product. Four
    // columns share each load of A.
    for (let i = 0; i < m; i++) {
      const aRow = ao + i * ai;
      const cRow = co + i * n;
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        const b0 = bo + j * bj;
        const [b1, b2, b3] = [b0 + bj, b0 + 2 * bj, b0 + 3 * bj];
        let [s0, s1, s2, s3] = bias === null ? [0, 0, 0, 0] : [bias[j], bias[j + 1], bias[j + 2], bias[j + 3]];
        for (let p = 0; p < k; p++) {
          const av = a[aRow + p];
          s0 += av * b[b0 + p];
          s1 += av * b[b1 + p];
          s2 += av * b[b2 + p];
          s3 += av * b[b3 + p];
        }
        c[cRow + j] = s0;
        c[cRow + j + 1] = s1;
        c[cRow + j + 2] = s2;
        c[cRow + j + 3] = s3;
      }
      for (; j < n; j++) {
        const bRow = bo + j * bj;
        let s = bias === null ? 0 : bias[j];
        for (let p = 0; p < k; p++) s += a[aRow + p] * b[bRow + p];
        c[cRow + j] = s;
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
