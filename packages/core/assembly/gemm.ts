// C (m x n, row-major) = A (m x k) B (k x n), elements read through strides.
// Packs A into 4-row panels and B into 8-column panels (zero-padded), then runs a 4x8
// micro-kernel with eight f32x4 accumulators over the whole depth. A row-major B of whole 8-column
// panels (a weight gradient's dy^T x) is read in place instead; A is always packed, since reading
// a transposed A in place, though possible, is slower than packing it. The work splits by B's
// column panels: gemmPanels does panels [p0, p1), and gemmShared lets threads claim them.
// A bias row (addmm's), when given, is the accumulators' starting value: adding it costs nothing.
import { claim } from './claim';
import { tile4x8 } from './microKernel';

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
