import { defaultGenerator, rand, type Generator, type Tensor } from '@wick/core';

/**
 * Zeroes each element with probability p during training and scales the rest by 1 / (1 - p),
 * so the expected value is unchanged; the identity when not training.
 */
export function dropout(input: Tensor, p = 0.5, training = true, generator: Generator = defaultGenerator): Tensor {
  if (!(p >= 0 && p <= 1)) throw new Error(`dropout: probability has to be between 0 and 1, but got ${p}`);
  if (!training || p === 0) return input;
  if (p === 1) return input.mul(0);
  const keep = rand(input.shape, { generator, dtype: input.dtype }).ge(p);
  return input.mul(keep).div(1 - p);
}
