// ReLU and its backward over float32 arrays, four lanes at a time. Branch-free: with activations
// positive about half the time, a branch per element mispredicts often enough to cost more than
// the arithmetic. Same rules as the plain kernels: relu(NaN) = NaN, relu(x <= 0) = +0, and the
// gradient is g where the output is positive, else 0 (even where g is NaN, as torch's
// threshold_backward).

export function relu(x: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const lanes = n & ~3;
  for (let i = 0; i < lanes; i += 4) {
    const at = <usize>(i << 2);
    const v = v128.load(x + at);
    // Keep v where v > 0 or v is NaN (v != v), else +0.
    const keep = v128.or(f32x4.gt(v, zero), f32x4.ne(v, v));
    v128.store(out + at, v128.bitselect(v, zero, keep));
  }
  for (let i = lanes; i < n; i++) {
    const at = <usize>(i << 2);
    const v = load<f32>(x + at);
    store<f32>(out + at, v > 0 || v != v ? v : 0);
  }
}

/** out = g where y > 0, else 0: ReLU's backward given its output y. */
export function maskPositive(g: usize, y: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const lanes = n & ~3;
  for (let i = 0; i < lanes; i += 4) {
    const at = <usize>(i << 2);
    v128.store(out + at, v128.bitselect(v128.load(g + at), zero, f32x4.gt(v128.load(y + at), zero)));
  }
  for (let i = lanes; i < n; i++) {
    const at = <usize>(i << 2);
    store<f32>(out + at, load<f32>(y + at) > 0 ? load<f32>(g + at) : 0);
  }
}
