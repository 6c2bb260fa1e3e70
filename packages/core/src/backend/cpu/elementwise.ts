import type { Storage } from '../../dtype';
import type { Strided } from '../types';
import { forEachRow } from './strided';

/** 1 / (1 + e^-x), split by sign so exp never overflows: for x < 0 it is e^x / (1 + e^x). */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * The error function to about 1e-15 relative: its Maclaurin series below |x| = 2 (the terms peak
 * near e^(x^2) / sqrt(pi), costing at most two digits), and above it 1 - erfc(x) with erfc from its
 * continued fraction, erfc(x) = e^(-x^2) / sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...)))),
 * summed backwards from a fixed depth (enough for x >= 2 to converge to double precision).
 */
function erf(x: number): number {
  const a = Math.abs(x);
  if (a < 2) {
    // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 60; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (a === Infinity) return Math.sign(x);
  if (a !== a) return x;
  let fraction = a;
  for (let k = 60; k >= 1; k--) fraction = a + k / 2 / fraction;
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / fraction;
  return Math.sign(x) * (1 - erfc);
}

/**
 * The unary elementwise ops, each a scalar function the generic loop of unary() maps over the
 * input (as candle's UnaryOpT): adding one here adds the op to every backend, and a backend with
 * a faster kernel for it says so in its supports().
 */
const UNARY = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  sqrt: Math.sqrt,
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x),
  relu: (x) => (x > 0 ? x : x === x ? 0 : x),
  sigmoid,
  tanh: Math.tanh,
  erf,
  /** x Phi(x), Phi the standard normal CDF (torch's gelu, approximate='none'). */
  gelu: (x) => 0.5 * x * (1 + erf(x * Math.SQRT1_2)),
  /** gelu with Phi approximated by 0.5 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) (approximate='tanh'). */
  geluTanh: (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))),
  /** x sigmoid(x), also called swish. */
  silu: (x) => x * sigmoid(x),
  isnan: (x) => (x !== x ? 1 : 0),
} satisfies Record<string, (x: number) => number>;

/** The names of the unary elementwise ops. */
export type UnaryOp = keyof typeof UNARY;

/** out[i] = op(x[i]). */
export function unary(op: UnaryOp, x: Storage, out: Storage): void {
  const f = UNARY[op];
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]);
}

/** out = clamp(x, min, max); either bound may be NaN for "none". */
export function clamp(x: Storage, min: number, max: number, out: Storage): void {
  const hasMin = min === min;
  const hasMax = max === max;
  for (let i = 0; i < x.length; i++) {
    let v = x[i];
    if (hasMin && v < min) v = min;
    if (hasMax && v > max) v = max;
    out[i] = v;
  }
}

/** out = x ** exponent. */
export function powScalar(x: Storage, exponent: number, out: Storage): void {
  if (exponent === 2) for (let i = 0; i < x.length; i++) out[i] = x[i] * x[i];
  else for (let i = 0; i < x.length; i++) out[i] = Math.pow(x[i], exponent);
}

/** The binary elementwise ops (results of comparisons and logic are 0 or 1). */
const BINARY = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  // torch.maximum/minimum propagate NaN.
  maximum: (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b),
  minimum: (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b),
  eq: (a, b) => (a === b ? 1 : 0),
  ne: (a, b) => (a !== b ? 1 : 0),
  lt: (a, b) => (a < b ? 1 : 0),
  le: (a, b) => (a <= b ? 1 : 0),
  gt: (a, b) => (a > b ? 1 : 0),
  ge: (a, b) => (a >= b ? 1 : 0),
  logicalAnd: (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
  logicalOr: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
} satisfies Record<string, (a: number, b: number) => number>;

/** The names of the binary elementwise ops. */
export type BinaryOp = keyof typeof BINARY;

/** Broadcasting binary op over `shape`, written contiguously into out. */
export function binary(op: BinaryOp, a: Strided, b: Strided, shape: readonly number[], out: Storage): void {
  const x = a.data;
  const y = b.data;
  // The hot cases of a training step get a loop of their own; the rest go through BINARY.
  if (op === 'add' || op === 'mul' || op === 'sub') {
    forEachRow(shape, [a.strides, b.strides], [a.offset, b.offset], (off, o, len, st) => {
      let i = off[0];
      let j = off[1];
      const si = st[0];
      const sj = st[1];
      const end = o + len;
      if (op === 'add') for (let k = o; k < end; k++, i += si, j += sj) out[k] = x[i] + y[j];
      else if (op === 'mul') for (let k = o; k < end; k++, i += si, j += sj) out[k] = x[i] * y[j];
      else for (let k = o; k < end; k++, i += si, j += sj) out[k] = x[i] - y[j];
    });
    return;
  }
  const f = BINARY[op];
  forEachRow(shape, [a.strides, b.strides], [a.offset, b.offset], (off, o, len, st) => {
    let i = off[0];
    let j = off[1];
    const end = o + len;
    for (let k = o; k < end; k++, i += st[0], j += st[1]) out[k] = f(x[i], y[j]);
  });
}

/** out = cond ? a : b, broadcasting over `shape`. */
export function where(cond: Strided, a: Strided, b: Strided, shape: readonly number[], out: Storage): void {
  const c = cond.data;
  const x = a.data;
  const y = b.data;
  forEachRow(shape, [cond.strides, a.strides, b.strides], [cond.offset, a.offset, b.offset], (off, o, len, st) => {
    let ci = off[0];
    let i = off[1];
    let j = off[2];
    const end = o + len;
    for (let k = o; k < end; k++, ci += st[0], i += st[1], j += st[2]) out[k] = c[ci] !== 0 ? x[i] : y[j];
  });
}

/** ReLU's backward: g where the output y is positive, else 0 (even where g is NaN, as torch's threshold_backward). */
export function reluBackward(g: Storage, y: Storage, out: Storage): void {
  for (let i = 0; i < g.length; i++) out[i] = y[i] > 0 ? g[i] : 0;
}
