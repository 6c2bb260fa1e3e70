import type { Storage } from '../../dtype';
import type { Mt19937State } from '../types';

// mt19937 as torch's CPU generator runs it (aten/src/ATen/core/MT19937RNGEngine.h): the twist
// regenerates all 624 words when `left` runs out, and each draw tempers the next word. The
// Generator (tensor/random.ts) draws through nextWord; the kernels below draw many at once.

/** Words of mt19937's state. */
export const MT_WORDS = 624;
/** The twist's middle offset. */
const M = 397;
/** mt19937's upper bit and its matrix A, as int32s (the same bits). */
const UPPER_BIT = 0x80000000 | 0;
const MATRIX_A = 0x9908b0df | 0;

/**
 * The twist's mix of two words: their upper and lower bits shifted, xor A where the lower word
 * is odd. `-(v & 1) & A` is A or 0 without a branch, and keeps every value an int32.
 */
const twistMix = (u: number, v: number) => (((u & UPPER_BIT) | (v & 0x7fffffff)) >>> 1) ^ (-(v & 1) & MATRIX_A);

/** mt19937's regeneration of its 624 words. */
function twist(state: Mt19937State): void {
  const mt = state.words;
  let k = 0;
  for (; k < MT_WORDS - M; k++) mt[k] = mt[k + M] ^ twistMix(mt[k], mt[k + 1]);
  for (; k < MT_WORDS - 1; k++) mt[k] = mt[k + M - MT_WORDS] ^ twistMix(mt[k], mt[k + 1]);
  mt[MT_WORDS - 1] = mt[M - 1] ^ twistMix(mt[MT_WORDS - 1], mt[0]);
  state.left = MT_WORDS;
  state.next = 0;
}

/** The next 32 random bits (torch's generator->random()). */
export function nextWord(state: Mt19937State): number {
  if (--state.left === 0) twist(state);
  let y = state.words[state.next++];
  y ^= y >>> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  y ^= y >>> 18;
  return y >>> 0;
}

/**
 * The threshold a draw's low 53 bits u must fall below for u / 2^53 < p, split into its high 21
 * and low 32 bits: scaling by a power of two is exact, so the uniform is compared without a division.
 */
export function bernoulliThreshold(p: number): { high: number; low: number } {
  const threshold = p * 2 ** 53;
  const high = Math.floor(threshold / 2 ** 32);
  return { high, low: threshold - high * 2 ** 32 };
}

/**
 * Fills `out` with 1 where a 64-bit uniform falls below p, else 0 (torch's bernoulli_(p)): the
 * uniform is u / 2^53 for the low 53 bits u of two draws, the first the high word.
 */
export function bernoulli(state: Mt19937State, p: number, out: Storage): void {
  const { high, low } = bernoulliThreshold(p);
  for (let i = 0; i < out.length; i++) {
    const h = nextWord(state) & 0x1fffff;
    const l = nextWord(state);
    out[i] = h < high || (h === high && l < low) ? 1 : 0;
  }
}
