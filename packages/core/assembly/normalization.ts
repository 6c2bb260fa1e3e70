// Batch normalization's per-channel passes over float32 data laid out (outer, channels, inner),
// as the plain kernels (src/backend/cpu/normalization.ts) do them: sums in float64, here two
// lanes at a time, so they agree with the plain kernels to float32 rounding, not to the bit.

/** Sums, in float64, of the `count` floats at `at` and of their squared deviations from `center` (when `squares`). */
@inline function sumRun(at: usize, count: i32, center: f64, squares: bool): f64 {
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  const c = f64x2.splat(center);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const v = v128.load(at + (<usize>i << 2));
    let a = f64x2.promote_low_f32x4(v);
    let b = f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
    if (squares) {
      a = f64x2.sub(a, c);
      b = f64x2.sub(b, c);
      a = f64x2.mul(a, a);
      b = f64x2.mul(b, b);
    }
    lo = f64x2.add(lo, a);
    hi = f64x2.add(hi, b);
  }
  const both = f64x2.add(lo, hi);
  let sum = f64x2.extract_lane(both, 0) + f64x2.extract_lane(both, 1);
  for (; i < count; i++) {
    const d = <f64>load<f32>(at + (<usize>i << 2)) - (squares ? center : 0);
    sum += squares ? d * d : d;
  }
  return sum;
}

/** Per-channel mean, invstd = 1 / sqrt(variance + eps) and biased variance (the plain channelStats). */
export function channelStats(x: usize, outer: i32, channels: i32, inner: i32, eps: f64, mean: usize, invstd: usize, variance: usize): void {
  const count = <f64>outer * inner;
  for (let c = 0; c < channels; c++) {
    let sum: f64 = 0;
    for (let n = 0; n < outer; n++) sum += sumRun(x + (<usize>((n * channels + c) * inner) << 2), inner, 0, false);
    const m = sum / count;
    let squares: f64 = 0;
    for (let n = 0; n < outer; n++) squares += sumRun(x + (<usize>((n * channels + c) * inner) << 2), inner, m, true);
    store<f32>(mean + (<usize>c << 2), <f32>m);
    store<f32>(variance + (<usize>c << 2), <f32>(squares / count));
    store<f32>(invstd + (<usize>c << 2), <f32>(1 / Math.sqrt(squares / count + eps)));
  }
}

/** out = x * scale[c] + shift[c] on channel c (the plain channelAffine). */
export function channelAffine(x: usize, outer: i32, channels: i32, inner: i32, scale: usize, shift: usize, out: usize): void {
  for (let n = 0; n < outer; n++) {
    for (let c = 0; c < channels; c++) {
      const base = <usize>((n * channels + c) * inner) << 2;
      const a = load<f32>(scale + (<usize>c << 2));
      const b = load<f32>(shift + (<usize>c << 2));
      const va = f32x4.splat(a);
      const vb = f32x4.splat(b);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const at = base + (<usize>i << 2);
        v128.store(out + at, f32x4.add(f32x4.mul(v128.load(x + at), va), vb));
      }
      for (; i < inner; i++) {
        const at = base + (<usize>i << 2);
        store<f32>(out + at, load<f32>(x + at) * a + b);
      }
    }
  }
}

/**
 * Batch norm's gradients (the plain batchNormBackward): per channel sum g and sum g (x - mean) in
 * float64, then gx = (g - mean(g) - (x - mean) k) invstd w with k = invstd^2 sum g (x - mean) / n
 * in training, gx = g invstd w in evaluation. Pointers of outputs not wanted are 0; weight 0 is ones.
 */
export function batchNormBackward(
  x: usize, g: usize, outer: i32, channels: i32, inner: i32, mean: usize, invstd: usize, weight: usize, training: i32,
  gx: usize, gWeight: usize, gBias: usize,
): void {
  const count = <f64>outer * inner;
  for (let c = 0; c < channels; c++) {
    const m = load<f32>(mean + (<usize>c << 2));
    const s = load<f32>(invstd + (<usize>c << 2));
    const vm = f32x4.splat(m);
    let sum: f64 = 0;
    let lo = f64x2.splat(0);
    let hi = f64x2.splat(0);
    let dot: f64 = 0;
    for (let n = 0; n < outer; n++) {
      const base = <usize>((n * channels + c) * inner) << 2;
      sum += sumRun(g + base, inner, 0, false);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const at = base + (<usize>i << 2);
        const vg = v128.load(g + at);
        const vd = f32x4.sub(v128.load(x + at), vm);
        lo = f64x2.add(lo, f64x2.mul(f64x2.promote_low_f32x4(vg), f64x2.promote_low_f32x4(vd)));
        hi = f64x2.add(hi, f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(vg, vg, 2, 3, 0, 1)), f64x2.promote_low_f32x4(i32x4.shuffle(vd, vd, 2, 3, 0, 1))));
      }
      for (; i < inner; i++) {
        const at = base + (<usize>i << 2);
        dot += <f64>load<f32>(g + at) * <f64>(load<f32>(x + at) - m);
      }
    }
    const both = f64x2.add(lo, hi);
    dot += f64x2.extract_lane(both, 0) + f64x2.extract_lane(both, 1);
    if (gBias != 0) store<f32>(gBias + (<usize>c << 2), <f32>sum);
    if (gWeight != 0) store<f32>(gWeight + (<usize>c << 2), <f32>(dot * s));
    if (gx == 0) continue;
    const w: f32 = weight == 0 ? 1 : load<f32>(weight + (<usize>c << 2));
    const k: f32 = training != 0 ? <f32>((dot * s * s) / count) : 0;
    const gMean: f32 = training != 0 ? <f32>(sum / count) : 0;
    const sw = s * w;
    const vk = f32x4.splat(k);
    const vgm = f32x4.splat(gMean);
    const vsw = f32x4.splat(sw);
    for (let n = 0; n < outer; n++) {
      const base = <usize>((n * channels + c) * inner) << 2;
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const at = base + (<usize>i << 2);
        const centered = f32x4.mul(f32x4.sub(v128.load(x + at), vm), vk);
        v128.store(gx + at, f32x4.mul(f32x4.sub(f32x4.sub(v128.load(g + at), vgm), centered), vsw));
      }
      for (; i < inner; i++) {
        const at = base + (<usize>i << 2);
        store<f32>(gx + at, (load<f32>(g + at) - gMean - (load<f32>(x + at) - m) * k) * sw);
      }
    }
  }
}
