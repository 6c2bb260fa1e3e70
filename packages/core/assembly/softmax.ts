// Softmax and log-softmax over contiguous rows of float32, with the plain kernels' formulas
// (src/backend/cpu/softmax.ts) and their precision: exponentials, sums and logarithms in
// float64, so that the float32 results agree with the plain backend's to the last bit except
// where a double lands within an ulp of a float32 rounding boundary.

const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700e+00;

/**
 * e^x in both lanes, for x <= 0 (all a max-subtracted softmax needs), -inf or NaN. With
 * n = round(x / ln 2) and r = x - n ln 2 (ln 2 in two parts, so r is exact), e^x = 2^n e^r, and
 * e^r is its Taylor series to r^13 (|r| <= 0.35, so the first term left out is under 1e-17).
 * Below -708, where 2^n would leave the normal range, the result is 0: as a float32, or added to
 * a row's sum that includes e^0 = 1, no subnormal double could be told from it.
 */
function expLanes(x: v128): v128 {
  const n = f64x2.nearest(f64x2.mul(x, f64x2.splat(INV_LN2)));
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(n, f64x2.splat(LN2_HI))), f64x2.mul(n, f64x2.splat(LN2_LO)));
  let p = f64x2.splat(1.0 / 6227020800.0);
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 479001600.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 39916800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 3628800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 362880.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 40320.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 5040.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 720.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 120.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 24.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 6.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.5));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  // 2^n from its exponent bits (n is in [-1021, 0] wherever the result is kept).
  const bits = i64x2.shl(i64x2.add(i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(n)), i64x2.splat(1023)), 52);
  return v128.bitselect(f64x2.splat(0), f64x2.mul(p, bits), f64x2.lt(x, f64x2.splat(-708)));
}

/** e^x for one value, through the same lanes. */
@inline function expOne(x: f64): f64 {
  return f64x2.extract_lane(expLanes(f64x2.splat(x)), 0);
}

/** Two float32 at p, widened. */
@inline function load2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/** Two float64 lanes stored as float32 at p. */
@inline function store2(p: usize, v: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0);
}

/**
 * (log)softmax of `rows` rows of `size` floats at x into out; each row's log-sum-exp goes to lse
 * (float64) unless lse is 0. log_softmax = x - m - log(sum(e^(x - m))), m the row's max.
 */
export function softmaxRows(x: usize, rows: i32, size: i32, out: usize, log: i32, lse: usize): void {
  const pairs = size & ~1;
  for (let row = 0; row < rows; row++) {
    const from = x + <usize>(row * size * 4);
    const to = out + <usize>(row * size * 4);
    // The plain kernel's max skips NaN; either way a row with NaN comes out all NaN below.
    let m: f64 = -Infinity;
    for (let j = 0; j < size; j++) {
      const v = <f64>load<f32>(from + <usize>(j * 4));
      if (v > m) m = v;
    }
    if (m == -Infinity) m = 0; // a row of -inf gives NaN, as in torch, without inf - inf here
    const vm = f64x2.splat(m);
    let sums = f64x2.splat(0);
    for (let j = 0; j < pairs; j += 2) {
      const e = expLanes(f64x2.sub(load2(from + <usize>(j * 4)), vm));
      // softmax keeps each exponential (as float32, as the plain kernel does) to divide later.
      if (!log) store2(to + <usize>(j * 4), e);
      sums = f64x2.add(sums, e);
    }
    let s = f64x2.extract_lane(sums, 0) + f64x2.extract_lane(sums, 1);
    if (pairs < size) {
      const e = expOne(<f64>load<f32>(from + <usize>(pairs * 4)) - m);
      if (!log) store<f32>(to + <usize>(pairs * 4), <f32>e);
      s += e;
    }
    const l = m + Math.log(s);
    if (lse != 0) store<f64>(lse + <usize>(row * 8), l);
    if (log) {
      for (let j = 0; j < size; j++) store<f32>(to + <usize>(j * 4), <f32>(<f64>load<f32>(from + <usize>(j * 4)) - l));
    } else {
      for (let j = 0; j < size; j++) store<f32>(to + <usize>(j * 4), <f32>(<f64>load<f32>(to + <usize>(j * 4)) / s));
    }
  }
}

/**
 * Backward over rows given the output y and upstream gy: log_softmax gx = gy - e^y sum(gy);
 * softmax gx = y (gy - sum(gy y)).
 */
export function softmaxBackwardRows(y: usize, gy: usize, rows: i32, size: i32, gx: usize, log: i32): void {
  const pairs = size & ~1;
  for (let row = 0; row < rows; row++) {
    const at = <usize>(row * size * 4);
    let s: f64 = 0;
    for (let j = 0; j < size; j++) {
      const p = at + <usize>(j * 4);
      s += log ? <f64>load<f32>(gy + p) : <f64>load<f32>(gy + p) * <f64>load<f32>(y + p);
    }
    const vs = f64x2.splat(s);
    for (let j = 0; j < pairs; j += 2) {
      const p = at + <usize>(j * 4);
      const yv = load2(y + p);
      const gv = load2(gy + p);
      store2(gx + p, log ? f64x2.sub(gv, f64x2.mul(expLanes(yv), vs)) : f64x2.mul(yv, f64x2.sub(gv, vs)));
    }
    if (pairs < size) {
      const p = at + <usize>(pairs * 4);
      const yv = <f64>load<f32>(y + p);
      const gv = <f64>load<f32>(gy + p);
      store<f32>(gx + p, <f32>(log ? gv - expOne(yv) * s : yv * (gv - s)));
    }
  }
}
