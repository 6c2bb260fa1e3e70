// Elementwise float32 kernels, four lanes at a time, with the plain kernels' rules
// (src/backend/cpu/elementwise.ts). Single-precision +, -, *, / round exactly as JS's double
// arithmetic rounded back to float32 does, so both backends give the same bits.

/** Binary op codes, as the wasm backend passes them. */
const ADD = 0;
const SUB = 1;
const MUL = 2;
const DIV = 3;
/** g where y > 0, else 0 (even where g is NaN, as torch's threshold_backward): ReLU's backward. */
const MASK_POSITIVE = 4;

/**
 * out[i] = a[i] op b[i], or a[i] op b[0] when bScalar. One loop per op and operand shape, so
 * none is chosen per element (inlining folds the constants).
 */
export function binary(op: i32, a: usize, b: usize, bScalar: i32, out: usize, n: i32): void {
  if (bScalar) binaryOf(op, a, b, true, out, n);
  else binaryOf(op, a, b, false, out, n);
}

/** binary() with bScalar a constant: picks the loop for op. */
@inline function binaryOf(op: i32, a: usize, b: usize, bScalar: bool, out: usize, n: i32): void {
  if (op == ADD) binaryLoop(ADD, a, b, bScalar, out, n);
  else if (op == SUB) binaryLoop(SUB, a, b, bScalar, out, n);
  else if (op == MUL) binaryLoop(MUL, a, b, bScalar, out, n);
  else if (op == DIV) binaryLoop(DIV, a, b, bScalar, out, n);
  else binaryLoop(MASK_POSITIVE, a, b, bScalar, out, n);
}

@inline function lanes(op: i32, x: v128, y: v128): v128 {
  if (op == ADD) return f32x4.add(x, y);
  if (op == SUB) return f32x4.sub(x, y);
  if (op == MUL) return f32x4.mul(x, y);
  if (op == DIV) return f32x4.div(x, y);
  return v128.bitselect(x, f32x4.splat(0), f32x4.gt(y, f32x4.splat(0)));
}

@inline function scalar(op: i32, x: f32, y: f32): f32 {
  if (op == ADD) return x + y;
  if (op == SUB) return x - y;
  if (op == MUL) return x * y;
  if (op == DIV) return x / y;
  return y > 0 ? x : 0;
}

@inline function binaryLoop(op: i32, a: usize, b: usize, bScalar: bool, out: usize, n: i32): void {
  const bAll = v128.load32_splat(b);
  const full = n & ~3;
  for (let i = 0; i < full; i += 4) {
    const at = <usize>(i << 2);
    v128.store(out + at, lanes(op, v128.load(a + at), bScalar ? bAll : v128.load(b + at)));
  }
  for (let i = full; i < n; i++) {
    const at = <usize>(i << 2);
    store<f32>(out + at, scalar(op, load<f32>(a + at), bScalar ? load<f32>(b) : load<f32>(b + at)));
  }
}

/**
 * ReLU, branch-free: with activations positive about half the time, a branch per element
 * mispredicts often enough to cost more than the arithmetic. relu(NaN) = NaN, relu(x <= 0) = +0.
 */
export function relu(x: usize, out: usize, n: i32): void {
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
