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
