import type { Tensor } from '@wick/core';

/** pytorch/examples' normalisation of MNIST for the cnn: the training set's mean and deviation. */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

/** The two example models. */
export type ModelKind = 'mlp' | 'cnn';

/**
 * Images (n, pixels) with pixels in [0, 1] as a model takes them: the mlp, as they are; the cnn,
 * (n, 1, 28, 28) normalized as pytorch/examples normalizes them. Used by `pnpm train` and the page.
 */
export function modelInputs(model: ModelKind, images: Tensor): Tensor {
  if (model === 'mlp') return images;
  if (images.shape[1] !== 28 * 28) throw new Error(`the cnn takes 28x28 images (Net's fc1 has 9216 inputs); these have ${images.shape[1]} pixels`);
  return images.sub(MNIST_MEAN).div(MNIST_STD).reshape(images.shape[0], 1, 28, 28);
}
