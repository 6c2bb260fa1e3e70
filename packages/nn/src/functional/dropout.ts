import { zeros, zerosLike, type Generator, type Tensor } from '@wick/core';

/**
 * Zeroes each element with probability p during training and scales the rest by 1 / (1 - p),
 * so the expected value is unchanged; the identity when not training. The mask is drawn as
 * torch 1.13's CPU dropout draws it: a tensor like the input filled by bernoulli_(1 - p), so the
 * same seed drops the same elements.
 */
export function dropout(input: Tensor, p = 0.5, training = true, generator?: Generator): Tensor {
  if (!(p >= 0 && p <= 1)) throw new Error(`dropout: probability has to be between 0 and 1, but got ${p}`);
  if (!training || p === 0 || input.numel() === 0) return input;
  if (p === 1) return input.mul(0);
  const noise = zerosLike(input).bernoulli_(1 - p, { generator });
  return input.mul(noise.div(1 - p));
}

/**
 * Zeroes whole channels with probability p during training and scales the rest by 1 / (1 - p)
 * (torch 1.13's dropout2d): one draw per (sample, channel) of a (N, C, ...) input, as torch's
 * feature noise of shape (N, C, 1, ...); the identity when not training.
 */
export function dropout2d(input: Tensor, p = 0.5, training = true, generator?: Generator): Tensor {
  if (!(p >= 0 && p <= 1)) throw new Error(`dropout2d: probability has to be between 0 and 1, but got ${p}`);
  if (input.ndim < 2) throw new Error(`dropout2d: expected an input of at least 2 dims (N, C, ...), got ${input.ndim}`);
  if (!training || p === 0 || input.numel() === 0) return input;
  if (p === 1) return input.mul(0);
  const shape = [input.shape[0], input.shape[1], ...new Array(input.ndim - 2).fill(1)];
  const mask = zeros(shape, { dtype: input.dtype }).bernoulli_(1 - p, { generator });
  return input.mul(mask.div(1 - p));
}
