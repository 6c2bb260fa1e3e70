import { Generator, defaultGenerator, randperm, stack, tensor, type Tensor } from '@wick/core';
import { TensorDataset, type Dataset } from './dataset';

export interface DataLoaderOptions {
  /** Samples per batch (default 1, as in torch). */
  batchSize?: number;
  /** Draw a fresh random order every epoch. */
  shuffle?: boolean;
  /** Leave out the last batch when it would be smaller than batchSize. */
  dropLast?: boolean;
  /** The generator that shuffles (default: one seeded by `seed`, else the global one). */
  generator?: Generator;
  /** Seeds a generator of the loader's own, so every run shuffles the same way. */
  seed?: number;
}

/**
 * Batches a dataset, as torch.utils.data.DataLoader: iterate it once per epoch to get
 * [inputs, targets, ...] tuples whose first dim is the batch. A TensorDataset is batched by
 * gathering rows directly; any other dataset's samples are stacked.
 */
export class DataLoader<T extends readonly Tensor[]> implements Iterable<T> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly generator: Generator;

  constructor(
    readonly dataset: Dataset<T>,
    options: DataLoaderOptions = {},
  ) {
    const { batchSize = 1, shuffle = false, dropLast = false } = options;
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new Error(`DataLoader: batchSize must be a positive integer, got ${batchSize}`);
    }
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.generator = options.generator ?? (options.seed !== undefined ? new Generator(options.seed) : defaultGenerator);
  }

  /** The number of batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<T> {
    const n = this.dataset.length;
    const order = this.shuffle ? randperm(n, { generator: this.generator }).dataSync() : Float64Array.from({ length: n }, (_, i) => i);
    for (let b = 0; b < this.length; b++) {
      const indices = order.subarray(b * this.batchSize, Math.min((b + 1) * this.batchSize, n));
      yield this.collate(indices);
    }
  }

  private collate(indices: ArrayLike<number>): T {
    const ds = this.dataset;
    if (ds instanceof TensorDataset) {
      const index = tensor(Float64Array.from(indices), { dtype: 'int64' });
      return (ds.tensors as readonly Tensor[]).map((t) => t.indexSelect(0, index)) as unknown as T;
    }
    const samples = Array.from(indices, (i) => ds.get(i));
    return samples[0].map((_, k) => stack(samples.map((s) => s[k]))) as unknown as T;
  }
}
