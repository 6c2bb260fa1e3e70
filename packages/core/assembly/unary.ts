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

