import { tensor, type Tensor } from '@wick/core';
import { data } from '@wick/nn';

/** pytorch/examples' normalisation of MNIST for the cnn: the training set's mean and deviation. */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

/** Labelled images: what the data loaders read and the models train on. */
export interface ImageSet {
  /** Pixels scaled to [0, 1], n rows of height * width. */
  images: Float32Array;
  labels: Uint8Array;
  count: number;
  pixels: number;
}

/** The two example models. */
export type ModelKind = 'mlp' | 'cnn';

/**
 * Images (n, pixels) with pixels in [0, 1] as a model takes them: the mlp, as they are; the cnn,
 * (n, 1, 28, 28) normalized as pytorch/examples normalizes them. Used by `pnpm train` and the page
 * (this module, unlike ./index, reads no files, so it bundles for browsers).
 */
export function modelInputs(model: ModelKind, images: Tensor): Tensor {
  if (model === 'mlp') return images;
  if (images.shape[1] !== 28 * 28) throw new Error(`the cnn takes 28x28 images (Net's fc1 has 9216 inputs); these have ${images.shape[1]} pixels`);
  return images.sub(MNIST_MEAN).div(MNIST_STD).reshape(images.shape[0], 1, 28, 28);
}

/** Images as an (n, pixels) float32 tensor and labels as int64 class indices. */
export function toDataset(set: ImageSet): data.TensorDataset<[Tensor, Tensor]> {
  return new data.TensorDataset(
    tensor(set.images, { shape: [set.count, set.pixels] }),
    tensor(Float64Array.from(set.labels), { dtype: 'int64' }),
  );
}

/** A set as the model takes it (see modelInputs), with its labels. */
export function modelDataset(model: ModelKind, set: ImageSet): data.TensorDataset<[Tensor, Tensor]> {
  const [images, labels] = toDataset(set).tensors;
  return new data.TensorDataset(modelInputs(model, images), labels);
}
