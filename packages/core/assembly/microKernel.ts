// The GEMM's 4x8 micro-kernel, shared by gemm.ts (B packed or read in place) and conv.ts
// (directProduct: B's rows found through an offset table). Not exported from the module: its
// parts are inlined into their callers.

/**
 * c + a * b per lane. The build with relaxed SIMD (scripts/build-wasm.mjs) fuses it into one
 * multiply-add where the CPU has FMA: half the micro-kernel's arithmetic instructions, and one
 * rounding instead of two (as OpenBLAS and oneDNN round). The plain SIMD build multiplies, then adds.
 */
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
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
@inline function storeTile(
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
