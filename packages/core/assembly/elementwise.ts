// Elementwise float32 kernels, four lanes at a time, with the plain kernels' rules
// (src/backend/cpu/elementwise.ts). Single-precision +, -, *, / round exactly as JS's double
// arithmetic rounded back to float32 does, so both backends give the same bits.

// Op codes inside this file only: each op is exported as a kernel of its own, binary_<op>, and
// the wasm backend finds it by that name (src/backend/wasm/elementwise.ts).
const ADD = 0;
const SUB = 1;
const MUL = 2;
const DIV = 3;

/** out[i] = a[i] + b[i], or a[i] + b[0] when bScalar; likewise the others. */
export function binary_add(a: usize, b: usize, bScalar: i32, out: usize, n: i32): void {
  binaryOf(ADD, a, b, bScalar, out, n);
}
export function binary_sub(a: usize, b: usize, bScalar: i32, out: usize, n: i32): void {
  binaryOf(SUB, a, b, bScalar, out, n);
}
export function binary_mul(a: usize, b: usize, bScalar: i32, out: usize, n: i32): void {
  binaryOf(MUL, a, b, bScalar, out, n);
}
export function binary_div(a: usize, b: usize, bScalar: i32, out: usize, n: i32): void {
  binaryOf(DIV, a, b, bScalar, out, n);
}

/** One loop per operand shape, so none is chosen per element (inlining folds the constants). */
@inline function binaryOf(op: i32, a: usize, b: usize, bScalar: i32, out: usize, n: i32): void {
  if (bScalar) binaryLoop(op, a, b, true, out, n);
  else binaryLoop(op, a, b, false, out, n);
}

@inline function lanes(op: i32, x: v128, y: v128): v128 {
  if (op == ADD) return f32x4.add(x, y);
  if (op == SUB) return f32x4.sub(x, y);
  if (op == MUL) return f32x4.mul(x, y);
  return f32x4.div(x, y);
}

@inline function scalar(op: i32, x: f32, y: f32): f32 {
  if (op == ADD) return x + y;
  if (op == SUB) return x - y;
  if (op == MUL) return x * y;
  return x / y;
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

/** ReLU's backward: g where y > 0, else 0 (even where g is NaN, as torch's threshold_backward). */
export function reluBackward(g: usize, y: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const full = n & ~3;
  for (let i = 0; i < full; i += 4) {
    const at = <usize>(i << 2);
    v128.store(out + at, v128.bitselect(v128.load(g + at), zero, f32x4.gt(v128.load(y + at), zero)));
  }
  for (let i = full; i < n; i++) {
    const at = <usize>(i << 2);
    store<f32>(out + at, load<f32>(y + at) > 0 ? load<f32>(g + at) : 0);
  }
}
