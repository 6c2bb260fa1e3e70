// mt19937 as torch's CPU generator runs it, the words of src/backend/cpu/mt19937.ts, and
// Bernoulli draws from it. The state is a block at `state`: i32 left (draws before the next
// twist), i32 next (the next word's index), then the 624 words.

const WORDS: i32 = 624;
const M: i32 = 397;

@inline function at(words: usize, i: i32): usize {
  return words + (<usize>i << 2);
}

/** The twist's mix of two words: upper and lower bits shifted, xor matrix A where the lower word is odd. */
@inline function mix(u: u32, v: u32): u32 {
  return (((u & 0x80000000) | (v & 0x7fffffff)) >> 1) ^ ((0 - (v & 1)) & 0x9908b0df);
}

/** mix() on four pairs of words at once. */
@inline function mix4(u: v128, v: v128): v128 {
  const bits = v128.or(v128.and(u, i32x4.splat(0x80000000)), v128.and(v, i32x4.splat(0x7fffffff)));
  const odd = i32x4.sub(i32x4.splat(0), v128.and(v, i32x4.splat(1)));
  return v128.xor(i32x4.shr_u(bits, 1), v128.and(odd, i32x4.splat(0x9908b0df)));
}

/** One word of the twist: word k from itself, word k + 1 and word `from`. */
@inline function twistOne(words: usize, k: i32, from: i32): void {
  store<u32>(at(words, k), load<u32>(at(words, from)) ^ mix(load<u32>(at(words, k)), load<u32>(at(words, k + 1))));
}

/**
 * Regenerates the 624 words at `words`, four at a time: word k reads words k + 1 and k + M (or
 * k + M - 624) only, none of which the same four words change (M and 624 - M are both 4 or more).
 */
function twist(words: usize): void {
  let k = 0;
  for (; k + 4 <= WORDS - M; k += 4) {
    v128.store(at(words, k), v128.xor(v128.load(at(words, k + M)), mix4(v128.load(at(words, k)), v128.load(at(words, k + 1)))));
  }
  for (; k < WORDS - M; k++) twistOne(words, k, k + M);
  for (; k + 4 <= WORDS - 1; k += 4) {
    v128.store(at(words, k), v128.xor(v128.load(at(words, k + M - WORDS)), mix4(v128.load(at(words, k)), v128.load(at(words, k + 1)))));
  }
  for (; k < WORDS - 1; k++) twistOne(words, k, k + M - WORDS);
  store<u32>(at(words, WORDS - 1), load<u32>(at(words, M - 1)) ^ mix(load<u32>(at(words, WORDS - 1)), load<u32>(words)));
}

@inline function temper(word: u32): u32 {
  let y = word;
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  y ^= y >> 18;
  return y;
}

/** temper() on four words at once. */
@inline function temper4(word: v128): v128 {
  let y = word;
  y = v128.xor(y, i32x4.shr_u(y, 11));
  y = v128.xor(y, v128.and(i32x4.shl(y, 7), i32x4.splat(0x9d2c5680)));
  y = v128.xor(y, v128.and(i32x4.shl(y, 15), i32x4.splat(0xefc60000)));
  return v128.xor(y, i32x4.shr_u(y, 18));
}

/**
 * out[i] = 1 where the low 53 bits of two draws (the first the high word) fall below the
 * threshold whose high 21 and low 32 bits are `high` and `low`, else 0, for i < n: torch's
 * bernoulli_(p) with threshold p * 2^53. The stream's position is written back.
 */
export function bernoulli(state: usize, out: usize, n: i32, high: u32, low: u32): void {
  const words = state + 8;
  let left = load<i32>(state);
  let next = load<i32>(state, 4);
  const highs = i32x4.splat(high);
  const lows = i32x4.splat(low);
  const ones = f32x4.splat(1);
  let i = 0;
  while (i < n) {
    if (left > 8 && i + 4 <= n) {
      // Eight draws without a twist (left - 1 remain), four elements: high words in the even
      // lanes, low words in the odd ones.
      const first = temper4(v128.load(at(words, next)));
      const second = temper4(v128.load(at(words, next + 4)));
      const h = v128.and(i8x16.shuffle(first, second, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), i32x4.splat(0x1fffff));
      const l = i8x16.shuffle(first, second, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
      const below = v128.or(i32x4.lt_u(h, highs), v128.and(i32x4.eq(h, highs), i32x4.lt_u(l, lows)));
      v128.store(out + (<usize>i << 2), v128.and(below, ones));
      next += 8;
      left -= 8;
      i += 4;
      continue;
    }
    if (--left == 0) {
      twist(words);
      left = WORDS;
      next = 0;
    }
    const h = temper(load<u32>(at(words, next++))) & 0x1fffff;
    if (--left == 0) {
      twist(words);
      left = WORDS;
      next = 0;
    }
    const l = temper(load<u32>(at(words, next++)));
    store<f32>(out + (<usize>i << 2), h < high || (h == high && l < low) ? <f32>1 : <f32>0);
    i++;
  }
  store<i32>(state, left);
  store<i32>(state, next, 4);
}
