// Batch and layer normalization over float32, as the plain kernels
// (src/backend/cpu/normalization.ts) do them: sums in float64, here two lanes at a time, so they
// agree with the plain kernels to float32 rounding, not to the bit. Batch norm's data are laid out
// (outer, channels, inner).

/** The low and high pairs of four floats, as float64s. */
@inline function promoteLow(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}
@inline function promoteHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
}

/** Sums, in float64, of the `count` floats at `at` and of their squared deviations from `center` (when `squares`). */
@inline function sumRun(at: usize, count: i32, center: f64, squares: bool): f64 {
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  const c = f64x2.splat(center);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const v = v128.load(at + (<usize>i << 2));
    let a = promoteLow(v);
    let b = promoteHigh(v);
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

/** Stores channel c's mean, biased variance and invstd from its sum and squared deviations over count values. */
@inline function storeStats(c: i32, sum: f64, squares: f64, count: f64, eps: f64, mean: usize, invstd: usize, variance: usize): void {
  store<f32>(mean + (<usize>c << 2), <f32>(sum / count));
  store<f32>(variance + (<usize>c << 2), <f32>(squares / count));
  store<f32>(invstd + (<usize>c << 2), <f32>(1 / Math.sqrt(squares / count + eps)));
}

// With one value per channel and sample (inner 1: BatchNorm1d on (N, C)), a channel's values
// lie `channels` floats apart, and a channel at a time would read one float per row it visits:
// the passes instead run four channels side by side down the rows. Each channel still sums its
// values sample by sample in float64, as one channel at a time does, for the same bits.

/** channelStats for inner 1 on channels [0, channels rounded down to 4); returns that end. */
function channelStatsAcross(x: usize, outer: i32, channels: i32, eps: f64, mean: usize, invstd: usize, variance: usize): i32 {
  const count = <f64>outer;
  const end = channels & ~3;
  for (let c = 0; c < end; c += 4) {
    let lo = f64x2.splat(0);
    let hi = f64x2.splat(0);
    for (let n = 0; n < outer; n++) {
      const v = v128.load(x + (<usize>(n * channels + c) << 2));
      lo = f64x2.add(lo, promoteLow(v));
      hi = f64x2.add(hi, promoteHigh(v));
    }
    const mLo = f64x2.div(lo, f64x2.splat(count));
    const mHi = f64x2.div(hi, f64x2.splat(count));
    let sLo = f64x2.splat(0);
    let sHi = f64x2.splat(0);
    for (let n = 0; n < outer; n++) {
      const v = v128.load(x + (<usize>(n * channels + c) << 2));
      const dLo = f64x2.sub(promoteLow(v), mLo);
      const dHi = f64x2.sub(promoteHigh(v), mHi);
      sLo = f64x2.add(sLo, f64x2.mul(dLo, dLo));
      sHi = f64x2.add(sHi, f64x2.mul(dHi, dHi));
    }
    storeStats(c, f64x2.extract_lane(lo, 0), f64x2.extract_lane(sLo, 0), count, eps, mean, invstd, variance);
    storeStats(c + 1, f64x2.extract_lane(lo, 1), f64x2.extract_lane(sLo, 1), count, eps, mean, invstd, variance);
    storeStats(c + 2, f64x2.extract_lane(hi, 0), f64x2.extract_lane(sHi, 0), count, eps, mean, invstd, variance);
    storeStats(c + 3, f64x2.extract_lane(hi, 1), f64x2.extract_lane(sHi, 1), count, eps, mean, invstd, variance);
  }
  return end;
}

/** Per-channel mean, invstd = 1 / sqrt(variance + eps) and biased variance (the plain channelStats). */
export function channelStats(x: usize, outer: i32, channels: i32, inner: i32, eps: f64, mean: usize, invstd: usize, variance: usize): void {
  const count = <f64>outer * inner;
  for (let c = inner == 1 ? channelStatsAcross(x, outer, channels, eps, mean, invstd, variance) : 0; c < channels; c++) {
    let sum: f64 = 0;
    for (let n = 0; n < outer; n++) sum += sumRun(x + (<usize>((n * channels + c) * inner) << 2), inner, 0, false);
    const m = sum / count;
    let squares: f64 = 0;
    for (let n = 0; n < outer; n++) squares += sumRun(x + (<usize>((n * channels + c) * inner) << 2), inner, m, true);
    storeStats(c, sum, squares, count, eps, mean, invstd, variance);
  }
}

/** out = x * scale[c] + shift[c] on channel c (the plain channelAffine). */
export function channelAffine(x: usize, outer: i32, channels: i32, inner: i32, scale: usize, shift: usize, out: usize): void {
  if (inner == 1) {
    // A sample's row holds one value per channel: the scales and shifts line up with it.
    for (let n = 0; n < outer; n++) {
      const row = <usize>(n * channels) << 2;
      let c = 0;
      for (; c + 4 <= channels; c += 4) {
        const at = <usize>c << 2;
        v128.store(out + row + at, f32x4.add(f32x4.mul(v128.load(x + row + at), v128.load(scale + at)), v128.load(shift + at)));
      }
      for (; c < channels; c++) {
        const at = <usize>c << 2;
        store<f32>(out + row + at, load<f32>(x + row + at) * load<f32>(scale + at) + load<f32>(shift + at));
      }
    }
    return;
  }
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
  const first = inner == 1 ? batchNormBackwardAcross(x, g, outer, channels, mean, invstd, weight, training, gx, gWeight, gBias) : 0;
  for (let c = first; c < channels; c++) {
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
        lo = f64x2.add(lo, f64x2.mul(promoteLow(vg), promoteLow(vd)));
        hi = f64x2.add(hi, f64x2.mul(promoteHigh(vg), promoteHigh(vd)));
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

// Layer normalization's passes over `rows` rows of `size` floats (the plain layerNormForward and
// layerNormBackward), the weight and bias elementwise along the row; pointers of absent ones are 0.

/**
 * Each row's mean and rstd = 1 / sqrt(variance + eps), summed as channelStats sums a channel's,
 * then out = (x - mean[r]) rstd[r] weight + bias on row r, while the row is still in cache.
 */
export function layerNormForward(x: usize, rows: i32, size: i32, eps: f64, weight: usize, bias: usize, out: usize, mean: usize, rstd: usize): void {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const base = <usize>(r * size) << 2;
    const center = sumRun(x + base, size, 0, false) / size;
    const squares = sumRun(x + base, size, center, true);
    const m = <f32>center;
    const s = <f32>(1 / Math.sqrt(squares / size + eps));
    store<f32>(mean + (<usize>r << 2), m);
    store<f32>(rstd + (<usize>r << 2), s);
    const vm = f32x4.splat(m);
    const vs = f32x4.splat(s);
    let d = 0;
    for (; d + 4 <= size; d += 4) {
      const at = <usize>d << 2;
      const w = weight == 0 ? one : v128.load(weight + at);
      const b = bias == 0 ? zero : v128.load(bias + at);
      v128.store(out + base + at, f32x4.add(f32x4.mul(f32x4.mul(f32x4.sub(v128.load(x + base + at), vm), vs), w), b));
    }
    for (; d < size; d++) {
      const at = <usize>d << 2;
      const w: f32 = weight == 0 ? 1 : load<f32>(weight + at);
      const b: f32 = bias == 0 ? 0 : load<f32>(bias + at);
      store<f32>(out + base + at, (load<f32>(x + base + at) - m) * s * w + b);
    }
  }
}

/**
 * Layer norm's gradients: with x^ = (x - mean) rstd and h = g weight along a row,
 * gx = rstd (h - mean(h) - x^ mean(h x^)), the row's sums in float64; gWeight = g x^ and
 * gBias = g, summed over the rows.
 */
export function layerNormBackward(
  x: usize, g: usize, rows: i32, size: i32, mean: usize, rstd: usize, weight: usize, gx: usize, gWeight: usize, gBias: usize,
): void {
  if (gWeight != 0) memory.fill(gWeight, 0, <usize>size << 2);
  if (gBias != 0) memory.fill(gBias, 0, <usize>size << 2);
  const one = f32x4.splat(1);
  for (let r = 0; r < rows; r++) {
    const m = load<f32>(mean + (<usize>r << 2));
    const s = load<f32>(rstd + (<usize>r << 2));
    const vm = f32x4.splat(m);
    const vs = f32x4.splat(s);
    const base = <usize>(r * size) << 2;
    let h2 = f64x2.splat(0);
    let hx2 = f64x2.splat(0);
    let sumH: f64 = 0;
    let sumHX: f64 = 0;
    let d = 0;
    for (; d + 4 <= size; d += 4) {
      const at = <usize>d << 2;
      const vg = v128.load(g + base + at);
      const xhat = f32x4.mul(f32x4.sub(v128.load(x + base + at), vm), vs);
      const h = f32x4.mul(vg, weight == 0 ? one : v128.load(weight + at));
      const hx = f32x4.mul(h, xhat);
      h2 = f64x2.add(h2, f64x2.add(promoteLow(h), promoteHigh(h)));
      hx2 = f64x2.add(hx2, f64x2.add(promoteLow(hx), promoteHigh(hx)));
      if (gWeight != 0) v128.store(gWeight + at, f32x4.add(v128.load(gWeight + at), f32x4.mul(vg, xhat)));
      if (gBias != 0) v128.store(gBias + at, f32x4.add(v128.load(gBias + at), vg));
    }
    for (; d < size; d++) {
      const at = <usize>d << 2;
      const gv = load<f32>(g + base + at);
      const xhat = (load<f32>(x + base + at) - m) * s;
      const h = gv * (weight == 0 ? <f32>1 : load<f32>(weight + at));
      sumH += h;
      sumHX += <f64>h * xhat;
      if (gWeight != 0) store<f32>(gWeight + at, load<f32>(gWeight + at) + gv * xhat);
      if (gBias != 0) store<f32>(gBias + at, load<f32>(gBias + at) + gv);
    }
    if (gx == 0) continue;
    sumH += f64x2.extract_lane(h2, 0) + f64x2.extract_lane(h2, 1);
    sumHX += f64x2.extract_lane(hx2, 0) + f64x2.extract_lane(hx2, 1);
    const meanH = f32x4.splat(<f32>(sumH / size));
    const meanHX = f32x4.splat(<f32>(sumHX / size));
    d = 0;
    for (; d + 4 <= size; d += 4) {
      const at = <usize>d << 2;
      const xhat = f32x4.mul(f32x4.sub(v128.load(x + base + at), vm), vs);
      const h = f32x4.mul(v128.load(g + base + at), weight == 0 ? one : v128.load(weight + at));
      v128.store(gx + base + at, f32x4.mul(vs, f32x4.sub(f32x4.sub(h, meanH), f32x4.mul(xhat, meanHX))));
    }
    for (; d < size; d++) {
      const at = <usize>d << 2;
      const xhat = (load<f32>(x + base + at) - m) * s;
      const h = load<f32>(g + base + at) * (weight == 0 ? <f32>1 : load<f32>(weight + at));
      store<f32>(gx + base + at, s * (h - <f32>(sumH / size) - xhat * <f32>(sumHX / size)));
    }
  }
}

/** Float64 pairs lo and hi rounded to float32 as one vector of four. */
@inline function demote(lo: v128, hi: v128): v128 {
  return i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/**
 * batchNormBackward for inner 1 on channels [0, channels rounded down to 4), four channels side
 * by side down the rows (see channelStatsAcross); returns that end. The per-channel arithmetic is
 * the same, lane by lane, in the same order.
 */
function batchNormBackwardAcross(
  x: usize, g: usize, outer: i32, channels: i32, mean: usize, invstd: usize, weight: usize, training: i32,
  gx: usize, gWeight: usize, gBias: usize,
): i32 {
  const count = f64x2.splat(<f64>outer);
  const end = channels & ~3;
  for (let c = 0; c < end; c += 4) {
    const at = <usize>c << 2;
    const vm = v128.load(mean + at);
    const vs = v128.load(invstd + at);
    let sumLo = f64x2.splat(0);
    let sumHi = f64x2.splat(0);
    let dotLo = f64x2.splat(0);
    let dotHi = f64x2.splat(0);
    for (let n = 0; n < outer; n++) {
      const row = <usize>(n * channels) << 2;
      const vg = v128.load(g + row + at);
      const vd = f32x4.sub(v128.load(x + row + at), vm);
      sumLo = f64x2.add(sumLo, promoteLow(vg));
      sumHi = f64x2.add(sumHi, promoteHigh(vg));
      dotLo = f64x2.add(dotLo, f64x2.mul(promoteLow(vg), promoteLow(vd)));
      dotHi = f64x2.add(dotHi, f64x2.mul(promoteHigh(vg), promoteHigh(vd)));
    }
    const sLo = promoteLow(vs);
    const sHi = promoteHigh(vs);
    if (gBias != 0) v128.store(gBias + at, demote(sumLo, sumHi));
    if (gWeight != 0) v128.store(gWeight + at, demote(f64x2.mul(dotLo, sLo), f64x2.mul(dotHi, sHi)));
    if (gx == 0) continue;
    const zero = f32x4.splat(0);
    const vk = training != 0 ? demote(f64x2.div(f64x2.mul(f64x2.mul(dotLo, sLo), sLo), count), f64x2.div(f64x2.mul(f64x2.mul(dotHi, sHi), sHi), count)) : zero;
    const vgm = training != 0 ? demote(f64x2.div(sumLo, count), f64x2.div(sumHi, count)) : zero;
    const vsw = weight == 0 ? vs : f32x4.mul(vs, v128.load(weight + at));
    for (let n = 0; n < outer; n++) {
      const row = <usize>(n * channels) << 2;
      const centered = f32x4.mul(f32x4.sub(v128.load(x + row + at), vm), vk);
      v128.store(gx + row + at, f32x4.mul(f32x4.sub(f32x4.sub(v128.load(g + row + at), vgm), centered), vsw));
    }
  }
  return end;
}
