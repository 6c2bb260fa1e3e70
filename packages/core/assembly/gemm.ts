// C (m x n, row-major) = A (m x k) B (k x n), elements read through strides.
// Packs A into 4-row panels and B into 8-column panels (zero-padded), then runs a 4x8
// micro-kernel with eight f32x4 accumulators over the whole depth. A row-major B of whole 8-column
// panels (a weight gradient's dy^T x) is read in place instead; A is always packed, since reading
// a transposed A in place, though possible, is slower than packing it. The work splits by B's
// column panels: gemmPanels does panels [p0, p1), and gemmShared lets threads claim them.
// A bias row (addmm's), when given, is the accumulators' starting value: adding it costs nothing.
import { claim } from './claim';

/**
 * Packs panels [p0, p1) of `width` lines each (rows of A or columns of B; width 4 or 8) so that
 * the micro-kernel reads them depth-major: dst[panel][kk][line]. Line i starts at
 * src + i * lineStride and steps by depthStride along the depth; lines past `count` are zero.
 * Packing is a tenth of a training step's GEMM time, so the two layouts a step has get vector
 * paths: lines running along the depth (a row-major A, a transposed B) move as 4x4 transposes,
 * lines side by side (a transposed A, a row-major B) as straight copies.
 */
@inline function packPanels(
  src: usize, count: i32, k: i32, lineStride: i32, depthStride: i32, width: i32, dst: usize, p0: i32, p1: i32,
): void {
  for (let p = p0; p < p1; p++) {
    const first = p * width;
    const lines = min(width, count - first);
    const panel = dst + <usize>(p * k * width * 4);
    let kk = 0;
    if (lines == width && depthStride == 1) {
      for (; kk + 4 <= k; kk += 4) {
        for (let g = 0; g < width; g += 4) transpose4(src + <usize>(((first + g) * lineStride + kk) * 4), lineStride, panel + <usize>((kk * width + g) * 4), width);
      }
    } else if (lines == width && lineStride == 1) {
      for (; kk < k; kk++) {
        const from = src + <usize>((first + kk * depthStride) * 4);
        const to = panel + <usize>(kk * width * 4);
        for (let g = 0; g < width; g += 4) v128.store(to + <usize>(g * 4), v128.load(from + <usize>(g * 4)));
      }
    }
    for (; kk < k; kk++) {
      const from = src + <usize>((first * lineStride + kk * depthStride) * 4);
      const to = panel + <usize>(kk * width * 4);
      for (let r = 0; r < lines; r++) store<f32>(to + <usize>(r * 4), load<f32>(from + <usize>(r * lineStride * 4)));
      for (let r = lines; r < width; r++) store<f32>(to + <usize>(r * 4), 0);
    }
  }
}

/**
 * Writes the transpose of the 4x4 block whose rows start at src, src + stride, ... (stride in
 * floats) as 4 rows of 4 floats at dst, dst + dstStride, ...
 */
@inline function transpose4(src: usize, stride: i32, dst: usize, dstStride: i32): void {
  const step = <usize>(stride * 4);
  const r0 = v128.load(src);
  const r1 = v128.load(src + step);
  const r2 = v128.load(src + 2 * step);
  const r3 = v128.load(src + 3 * step);
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  const out = <usize>(dstStride * 4);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + out, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * out, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * out, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

/**
 * c + a * b per lane. The build with relaxed SIMD (scripts/build-wasm.mjs) fuses it into one
 * multiply-add where the CPU has FMA: half the micro-kernel's arithmetic instructions, and one
 * rounding instead of two (as OpenBLAS and oneDNN round). The plain SIMD build multiplies, then adds.
 */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** Packs all of A (m x k, element (i, p) at a + (i*rs + p*cs)*4) into 4-row panels. */
export function packA(a: usize, m: i32, k: i32, rs: i32, cs: i32, dst: usize): void {
  packPanels(a, m, k, rs, cs, 4, dst, 0, (m + 3) >> 2);
}

/**
 * Computes C's column panels [p0, p1) from A packed into 4-row panels at `a` (packA), packing
 * those panels of B first unless packedB is 0 (B row-major with whole panels, read in place).
 * `bias` is 0, or n floats added to every row of C, zero-padded to whole panels (a multiple of 8).
 */
export function gemmPanels(
  b: usize, bRs: i32, bCs: i32, bias: usize,
  c: usize, m: i32, k: i32, n: i32,
  a: usize, packedB: usize, p0: i32, p1: i32, scratch: usize,
): void {
  // B's columns are its lines: column j starts at b + j*bCs and steps by bRs down the depth.
  if (packedB != 0) packPanels(b, n, k, bCs, bRs, 8, packedB, p0, p1);
  const bPanelStride = packedB != 0 ? k * 32 : 32;
  const bStep = <usize>(packedB != 0 ? 32 : bRs * 4);
  const bPanels = packedB != 0 ? packedB : b;
  const mp = (m + 3) >> 2;
  for (let jp = p0; jp < p1; jp++) {
    const bp = bPanels + <usize>(jp * bPanelStride);
    for (let ip = 0; ip < mp; ip++) {
      const start0 = bias == 0 ? f32x4.splat(0) : v128.load(bias + <usize>(jp * 32));
      const start1 = bias == 0 ? f32x4.splat(0) : v128.load(bias + <usize>(jp * 32), 16);
      const i0 = ip * 4;
      const j0 = jp * 8;
      tile4x8(false, a + <usize>(ip * k * 16), k, bp, bStep, 0, start0, start1, c + <usize>((i0 * n + j0) * 4), <usize>(n * 4), m - i0, n - j0, scratch);
    }
  }
}

/**
 * The micro-kernel: a 4x8 tile of C, from `start0` and `start1` (each row's first and last four
 * columns' starting values), plus A's 4-row panel at `ap` (k deep, depth-major) times k rows of 8
 * B values, stored at `row` by storeTile (rows `stride` bytes apart, `rows` and `cols` of C left
 * from the tile's corner). B's row kk is at b + kk bStep, or, `direct`, at b + offsets[kk] (k
 * int32 byte offsets: conv.ts directProduct's columns read in place). Inlined with `direct` a
 * constant, so each caller's loop has only its own addressing.
 */
@inline export function tile4x8(
  direct: bool, ap: usize, k: i32, b: usize, bStep: usize, offsets: usize, start0: v128, start1: v128,
  row: usize, stride: usize, rows: i32, cols: i32, scratch: usize,
): void {
  let c00 = start0, c01 = start1;
  let c10 = start0, c11 = start1;
  let c20 = start0, c21 = start1;
  let c30 = start0, c31 = start1;
  let bq = b;
  for (let kk = 0; kk < k; kk++) {
    if (direct) bq = b + <usize>load<i32>(offsets + (<usize>kk << 2));
    const b0 = v128.load(bq);
    const b1 = v128.load(bq, 16);
    const a0 = v128.load32_splat(ap);
    const a1 = v128.load32_splat(ap, 4);
    const a2 = v128.load32_splat(ap, 8);
    const a3 = v128.load32_splat(ap, 12);
    c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01);
    c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11);
    c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21);
    c30 = madd(a3, b0, c30); c31 = madd(a3, b1, c31);
    ap += 16;
    if (!direct) bq += bStep;
  }
  storeTile(row, stride, rows, cols, scratch, c00, c01, c10, c11, c20, c21, c30, c31);
}

/**
 * Stores a 4x8 tile of accumulators (cR0 and cR1: row R's first and last four columns) at `row`,
 * its rows `stride` bytes apart: whole where `rows` and `cols` (those of C left from the tile's
 * corner) leave room for it, else spilled to the 128-byte `scratch` tile and its first `rows` rows'
 * first `cols` columns copied out (an edge tile).
 */
@inline export function storeTile(
  row: usize, stride: usize, rows: i32, cols: i32, scratch: usize,
  c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128,
): void {
  if (rows >= 4 && cols >= 8) {
    v128.store(row, c00); v128.store(row, c01, 16);
    v128.store(row + stride, c10); v128.store(row + stride, c11, 16);
    v128.store(row + 2 * stride, c20); v128.store(row + 2 * stride, c21, 16);
    v128.store(row + 3 * stride, c30); v128.store(row + 3 * stride, c31, 16);
    return;
  }
  const t = scratch;
  v128.store(t, c00); v128.store(t, c01, 16); v128.store(t, c10, 32); v128.store(t, c11, 48);
  v128.store(t, c20, 64); v128.store(t, c21, 80); v128.store(t, c30, 96); v128.store(t, c31, 112);
  for (let r = 0; r < min(4, rows); r++) {
    for (let q = 0; q < min(8, cols); q++) store<f32>(row + <usize>r * stride + (<usize>q << 2), load<f32>(t + (<usize>(r * 8 + q) << 2)));
  }
}

/**
 * One thread's share of C = A B: packs its own copy of A (m x k, element (i, p) at
 * aSource + (i * aRs + p * aCs) * 4) into `a`, then computes B's column panels in chunks claimed
 * from the shared counter at `counter` (claim.ts) until none are left.
 */
export function gemmShared(
  aSource: usize, aRs: i32, aCs: i32,
  b: usize, bRs: i32, bCs: i32, bias: usize,
  c: usize, m: i32, k: i32, n: i32,
  a: usize, packedB: usize, counter: usize, chunk: i32, scratch: usize,
): void {
  packA(aSource, m, k, aRs, aCs, a);
  const panels = (n + 7) >> 3;
  for (let p0 = claim(counter, chunk); p0 < panels; p0 = claim(counter, chunk)) {
    gemmPanels(b, bRs, bCs, bias, c, m, k, n, a, packedB, p0, min(p0 + chunk, panels), scratch);
  }
}
