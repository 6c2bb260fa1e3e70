// Reductions over float32 arrays, with the plain kernels' rules (src/backend/cpu/reduce.ts).

/**
 * Sums of the middle axis of x viewed as (outer, size, inner), four columns at a time: a bias
 * gradient's sum over the batch. Accumulates in float64 in order, as the plain kernel does, so
 * both give the same bits.
 */
export function sumMiddle(x: usize, outer: i32, size: i32, inner: i32, out: usize): void {
  const full = inner & ~3;
  for (let o = 0; o < outer; o++) {
    const base = x + <usize>(o * size * inner * 4);
    const to = out + <usize>(o * inner * 4);
    for (let i = 0; i < full; i += 4) {
      let lo = f64x2.splat(0);
      let hi = f64x2.splat(0);
      for (let s = 0; s < size; s++) {
        const v = v128.load(base + <usize>((s * inner + i) * 4));
        lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
        hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
      }
      v128.store(to + <usize>(i * 4), v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
    }
    for (let i = full; i < inner; i++) {
      let acc: f64 = 0;
      for (let s = 0; s < size; s++) acc += <f64>load<f32>(base + <usize>((s * inner + i) * 4));
      store<f32>(to + <usize>(i * 4), <f32>acc);
    }
  }
}

/**
 * Sums of the rows of x viewed as (rows, size): a convolution's bias gradient's sum over each
 * image's positions. Each row is accumulated in float64 in order, as the plain kernel does, so
 * both give the same bits; four rows go side by side, one to a lane, so that their additions
 * overlap instead of waiting on each other. `out` takes float32 sums, or float64 with `wide`.
 */
export function sumRows(x: usize, rows: i32, size: i32, out: usize, wide: i32): void {
  const rowBytes = <usize>size << 2;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const row = x + <usize>r * rowBytes;
    let ab = f64x2.splat(0);
    let cd = f64x2.splat(0);
    for (let s = 0; s < size; s++) {
      const at = row + (<usize>s << 2);
      ab = f64x2.add(ab, f64x2.replace_lane(f64x2.splat(<f64>load<f32>(at)), 1, <f64>load<f32>(at + rowBytes)));
      cd = f64x2.add(cd, f64x2.replace_lane(f64x2.splat(<f64>load<f32>(at + 2 * rowBytes)), 1, <f64>load<f32>(at + 3 * rowBytes)));
    }
    storeSum(out, r, f64x2.extract_lane(ab, 0), wide);
    storeSum(out, r + 1, f64x2.extract_lane(ab, 1), wide);
    storeSum(out, r + 2, f64x2.extract_lane(cd, 0), wide);
    storeSum(out, r + 3, f64x2.extract_lane(cd, 1), wide);
  }
  for (; r < rows; r++) {
    const row = x + <usize>r * rowBytes;
    let acc: f64 = 0;
    for (let s = 0; s < size; s++) acc += <f64>load<f32>(row + (<usize>s << 2));
    storeSum(out, r, acc, wide);
  }
}

@inline function storeSum(out: usize, i: i32, sum: f64, wide: i32): void {
  if (wide) store<f64>(out + (<usize>i << 3), sum);
  else store<f32>(out + (<usize>i << 2), <f32>sum);
}
