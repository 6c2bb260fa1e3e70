import type { DType, Storage } from '../dtype';
import { kernels } from '../backend';
import type { Generator } from './random';

// torch's transformations from raw draws to distributions (aten/src/ATen/core/TransformationHelper.h,
// DistributionsHelper.h and native/cpu/DistributionTemplates.h), so that the same seed gives
// torch's numbers: the same draws (32 or 64 bits), in the same order, mapped the same way.

const TWO_POW_24 = 16777216;
const TWO_POW_53 = 9007199254740992;

/** Splits a double into two halves of 26 bits or fewer whose sum it is exactly (Veltkamp). */
function split(a: number): [number, number] {
  const c = 134217729 * a; // 2^27 + 1
  const hi = c - (c - a);
  return [hi, a - hi];
}

/**
 * a * b + c with a single rounding, as a fused multiply-add computes it: the product's rounding
 * error comes exactly from Dekker's two-product and the sum's from Knuth's two-sum, and both
 * corrections are added back before the final rounding.
 */
function fusedMultiplyAdd(a: number, b: number, c: number): number {
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  const productError = ah * bh - p + ah * bl + al * bh + al * bl;
  const s = p + c;
  const bb = s - p;
  const sumError = p - (s - bb) + (c - bb);
  return s + (sumError + productError);
}

/**
 * Fills `data` with uniforms on [from, to) as torch's uniform_ draws them: float32 takes 24 bits
 * of a 32-bit draw, float64 53 bits of a 64-bit one, as x in [0, 1) then x * (to - from) + from.
 * torch's AVX2 build computes that product-sum as one fused multiply-add, rounded once. For
 * float32 the bounds and their difference are float32 values, so double arithmetic then a
 * float32 store rounds it once (the product of two 24-bit values is exact in a double); float64
 * needs the fused form itself.
 */
export function fillUniform(data: Storage, dtype: DType, from: number, to: number, g: Generator): void {
  if (dtype === 'float64') {
    const range = to - from;
    for (let i = 0; i < data.length; i++) data[i] = fusedMultiplyAdd(g.nextUint53() / TWO_POW_53, range, from);
    return;
  }
  const lo = Math.fround(from);
  const range = Math.fround(Math.fround(to) - lo);
  for (let i = 0; i < data.length; i++) data[i] = ((g.nextUint32() & 0xffffff) / TWO_POW_24) * range + lo;
}

/**
 * One standard normal as torch's normal_distribution<double> draws it: Box-Muller on two 64-bit
 * uniforms, returning r cos(theta) and caching r sin(theta) in the generator for the next call.
 */
function standardNormal(g: Generator): number {
  const cached = g.takeNormal();
  if (cached !== null) return cached;
  const u1 = g.nextUint53() / TWO_POW_53;
  const u2 = g.nextUint53() / TWO_POW_53;
  const r = Math.sqrt(-2 * Math.log(1 - u2));
  const theta = 2 * Math.PI * u1;
  g.keepNormal(r * Math.sin(theta));
  return r * Math.cos(theta);
}

/**
 * Box-Muller over a block of 16 uniforms in place (torch's normal_fill_16): values j and j + 8
 * become the pair drawn from u1 = 1 - data[j] and u2 = data[j + 8], each step rounded to float32
 * as torch's float arithmetic is.
 */
function boxMuller16Float32(data: Storage, at: number, mean: number, std: number): void {
  const f = Math.fround;
  for (let j = at; j < at + 8; j++) {
    const radius = f(Math.sqrt(f(-2 * f(Math.log(f(1 - data[j]))))));
    const theta = f(2 * Math.PI * data[j + 8]);
    data[j] = f(f(radius * f(Math.cos(theta))) * std) + mean;
    data[j + 8] = f(f(radius * f(Math.sin(theta))) * std) + mean;
  }
}

/** The same in float64 (torch's normal_fill_16<double>). */
function boxMuller16Float64(data: Storage, at: number, mean: number, std: number): void {
  for (let j = at; j < at + 8; j++) {
    const radius = Math.sqrt(-2 * Math.log(1 - data[j]));
    const theta = 2 * Math.PI * data[j + 8];
    data[j] = radius * Math.cos(theta) * std + mean;
    data[j + 8] = radius * Math.sin(theta) * std + mean;
  }
}

/**
 * Fills `data` with N(mean, std^2) values as torch's normal_ does: 16 or more contiguous values
 * are all drawn as uniforms first and transformed 16 at a time (a tail is redrawn as the last 16);
 * fewer, or a strided destination, take normal_distribution<double> one value at a time.
 */
export function fillNormal(data: Storage, dtype: DType, mean: number, std: number, g: Generator, contiguous = true): void {
  const n = data.length;
  if (n < 16 || !contiguous) {
    for (let i = 0; i < n; i++) data[i] = standardNormal(g) * std + mean;
    return;
  }
  const block = dtype === 'float64' ? boxMuller16Float64 : boxMuller16Float32;
  const [m, s] = dtype === 'float64' ? [mean, std] : [Math.fround(mean), Math.fround(std)];
  fillUniform(data, dtype, 0, 1, g);
  for (let i = 0; i + 16 <= n; i += 16) block(data, i, m, s);
  if (n % 16 !== 0) {
    const tail = data.subarray(n - 16);
    fillUniform(tail, dtype, 0, 1, g);
    block(tail, 0, m, s);
  }
}

/** Fills `data` with 1 where a 64-bit uniform falls below p, else 0 (torch's bernoulli_(p)): the kernel draws from g's stream. */
export function fillBernoulli(data: Storage, p: number, g: Generator): void {
  kernels().bernoulli(g.stream, p, data);
}

/**
 * out[i] = 1 where a uniform falls below probs[i] (torch.bernoulli(probs)): a float64 uniform (one
 * 64-bit draw) for float64 probabilities, a float32 one (one 32-bit draw) for float32.
 */
export function bernoulliOf(probs: Storage, out: Storage, g: Generator): void {
  if (probs instanceof Float64Array) {
    for (let i = 0; i < probs.length; i++) out[i] = g.nextUint53() / TWO_POW_53 < probs[i] ? 1 : 0;
    return;
  }
  for (let i = 0; i < probs.length; i++) out[i] = (g.nextUint32() & 0xffffff) / TWO_POW_24 < Math.fround(probs[i]) ? 1 : 0;
}

/** Fills `data` with integers uniform in [low, high): a 32-bit draw modulo the range, 64 bits for ranges of 2^32 or more. */
export function fillRandint(data: Storage, low: number, high: number, g: Generator): void {
  const range = high - low;
  if (range < 2 ** 32) {
    for (let i = 0; i < data.length; i++) data[i] = (g.nextUint32() % range) + low;
    return;
  }
  const big = BigInt(range);
  for (let i = 0; i < data.length; i++) data[i] = Number(g.nextUint64() % big) + low;
}

/** Writes a random permutation of 0..n-1 into data: torch's randperm_cpu, swapping i with i + (draw % (n - i)). */
export function fillRandperm(data: Storage, g: Generator): void {
  const n = data.length;
  for (let i = 0; i < n; i++) data[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const z = g.nextUint32() % (n - i);
    const saved = data[i];
    data[i] = data[z + i];
    data[z + i] = saved;
  }
}

/** A seed drawn as torch draws one: `torch.empty((), dtype=torch.int64).random_()`, 64 bits modulo 2^63. */
export function drawSeed(g: Generator): bigint {
  return g.nextUint64() & ((1n << 63n) - 1n);
}
