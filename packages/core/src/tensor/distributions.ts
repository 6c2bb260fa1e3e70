import type { DType, Storage } from '../dtype';
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
 * A uniform on [from, to) as torch draws it for `dtype`: float32 takes 24 bits of a 32-bit draw,
 * float64 53 bits of a 64-bit one, as x in [0, 1) then x * (to - from) + from. torch's AVX2 build
 * computes that product-sum as one fused multiply-add, rounded once. For float32 the bounds and
 * their difference are float32 values, so double arithmetic then a float32 store rounds it once
 * (the product of two 24-bit values is exact in a double); float64 needs the fused form itself.
 */
function uniformSampler(g: Generator, dtype: DType, from: number, to: number): () => number {
  if (dtype === 'float64') {
    const range = to - from;
    return () => fusedMultiplyAdd(g.nextUint53() / TWO_POW_53, range, from);
  }
  const lo = Math.fround(from);
  const range = Math.fround(Math.fround(to) - lo);
  return () => ((g.nextUint32() & 0xffffff) / TWO_POW_24) * range + lo;
}

/** Fills `data` with uniforms on [from, to), in order (torch's uniform_). */
export function fillUniform(data: Storage, dtype: DType, from: number, to: number, g: Generator): void {
  const draw = uniformSampler(g, dtype, from, to);
  for (let i = 0; i < data.length; i++) data[i] = draw();
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
 * become the pair drawn from u1 = 1 - data[j] and u2 = data[j + 8]. `round` rounds each step to
 * the storage's precision, as torch's scalar arithmetic in that type does.
 */
function boxMuller16(data: Storage, at: number, mean: number, std: number, round: (x: number) => number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = round(1 - data[at + j]);
    const u2 = data[at + j + 8];
    const radius = round(Math.sqrt(round(-2 * round(Math.log(u1)))));
    const theta = round(2 * Math.PI * u2);
    data[at + j] = round(round(radius * round(Math.cos(theta))) * std) + mean;
    data[at + j + 8] = round(round(radius * round(Math.sin(theta))) * std) + mean;
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
  const round = dtype === 'float64' ? (x: number) => x : Math.fround;
  const [m, s] = [round(mean), round(std)];
  fillUniform(data, dtype, 0, 1, g);
  for (let i = 0; i + 16 <= n; i += 16) boxMuller16(data, i, m, s, round);
  if (n % 16 !== 0) {
    const tail = data.subarray(n - 16);
    fillUniform(tail, dtype, 0, 1, g);
    boxMuller16(tail, 0, m, s, round);
  }
}

/** Fills `data` with 1 where a 64-bit uniform falls below p, else 0 (torch's bernoulli_(p)). */
export function fillBernoulli(data: Storage, p: number, g: Generator): void {
  for (let i = 0; i < data.length; i++) data[i] = g.nextUint53() / TWO_POW_53 < p ? 1 : 0;
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
