// Unary elementwise float32 kernels, unary_<op>(x, out, n) for each op of the plain backend's
// UNARY table (src/backend/cpu/elementwise.ts) that has one here: the wasm backend finds them by
// that name, so a kernel added here needs no other change.

/**
 * ReLU, branch-free: with activations positive about half the time, a branch per element
 * mispredicts often enough to cost more than the arithmetic. relu(NaN) = NaN, relu(x <= 0) = +0.
 */
export function unary_relu(x: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const full = n & ~3;
  for (let i = 0; i < full; i += 4) {
    const at = <usize>(i << 2);
    const v = v128.load(x + at);
    // Keep v where v > 0 or v is NaN (v != v), else +0.
    const keep = v128.or(f32x4.gt(v, zero), f32x4.ne(v, v));
    v128.store(out + at, v128.bitselect(v, zero, keep));
  }
  for (let i = full; i < n; i++) {
    const at = <usize>(i << 2);
    const v = load<f32>(x + at);
    store<f32>(out + at, v > 0 || v != v ? v : 0);
  }
}


// erf in float32 as Eigen's and XLA's fast erf: x p(x^2) / q(x^2), a rational fit on [-4, 4], beyond
// which erf(x) rounds to +-1 in float32; accurate to a few ulp. min/max propagate NaN.
@inline function erfLanes(v: v128): v128 {
  const x = f32x4.max(f32x4.min(v, f32x4.splat(4)), f32x4.splat(-4));
  const x2 = f32x4.mul(x, x);
  let p = f32x4.add(f32x4.mul(x2, f32x4.splat(-2.72614225801306e-10)), f32x4.splat(2.77068142495902e-8));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(-2.10102402082508e-6));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(-5.69250639462346e-5));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(-7.34990630326855e-4));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(-2.9545998085402e-3));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(-1.60960333262415e-2));
  let q = f32x4.add(f32x4.mul(x2, f32x4.splat(-1.45660718464996e-5)), f32x4.splat(-2.13374055278905e-4));
  q = f32x4.add(f32x4.mul(x2, q), f32x4.splat(-1.68282697438203e-3));
  q = f32x4.add(f32x4.mul(x2, q), f32x4.splat(-7.37332916720468e-3));
  q = f32x4.add(f32x4.mul(x2, q), f32x4.splat(-1.42647390514189e-2));
  return f32x4.div(f32x4.mul(x, p), q);
}

/** gelu(x) = 0.5 x (1 + erf(x / sqrt 2)), four lanes at a time (the tail through one lane). */
@inline function geluLanes(v: v128): v128 {
  const half = f32x4.mul(v, f32x4.splat(0.5));
  return f32x4.add(half, f32x4.mul(half, erfLanes(f32x4.mul(v, f32x4.splat(0.70710678118654752)))));
}

export function unary_gelu(x: usize, out: usize, n: i32): void {
  const full = n & ~3;
  for (let i = 0; i < full; i += 4) {
    const at = <usize>(i << 2);
    v128.store(out + at, geluLanes(v128.load(x + at)));
  }
  for (let i = full; i < n; i++) {
    const at = <usize>(i << 2);
    store<f32>(out + at, f32x4.extract_lane(geluLanes(f32x4.splat(load<f32>(x + at))), 0));
  }
}

/** gelu's tanh form, 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))): one element at a time (no SIMD tanh). */
export function unary_geluTanh(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const at = <usize>(i << 2);
    const v = load<f32>(x + at);
    store<f32>(out + at, <f32>0.5 * v * (<f32>1 + Mathf.tanh(<f32>0.7978845608028654 * (v + <f32>0.044715 * v * v * v))));
  }
}

/** silu(x) = x sigmoid(x), split by sign so exp never overflows; one element at a time (no SIMD exp). */
export function unary_silu(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const at = <usize>(i << 2);
    const v = load<f32>(x + at);
    let s: f32;
    if (v >= 0) s = <f32>1 / (<f32>1 + Mathf.exp(-v));
    else {
      const e = Mathf.exp(v);
      s = e / (<f32>1 + e);
    }
    store<f32>(out + at, v * s);
  }
}
