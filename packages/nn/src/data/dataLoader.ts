import { Generator, checkOptions, defaultGenerator, randint, randperm, stack, tensor, type Tensor } from '@wick/core';
import { TensorDataset, type Dataset } from './dataset';

/** Options of DataLoader, as torch's keyword arguments. */
export interface DataLoaderOptions {
  /** Samples per batch (default 1, as in torch). */
  batchSize?: number;
  /** Draw a fresh random order every epoch. */
  shuffle?: boolean;
  /** Leave out the last batch when it would be smaller than batchSize. */
  dropLast?: boolean;
  /** The generator that shuffles (default: the default generator, seeded by manualSeed). */
  generator?: Generator;
}

/**
 * A seed drawn as torch draws one (`torch.empty((), dtype=torch.int64).random_(generator=g)`,
 * one 64-bit draw modulo 2^63). Modulo 2^52 instead keeps it exact in a number with the same low
 * 32 bits, all that seeding mt19937 takes.
 */
function drawSeed(g: Generator): number {
  return randint(0, 2 ** 52, [], { generator: g }).item();
}

/**
 * Batches a dataset, as torch.utils.data.DataLoader: iterate it once per epoch to get
 * [inputs, targets, ...] tuples whose first dim is the batch. A TensorDataset is batched by
 * gathering rows directly; any other dataset's samples are stacked.
 */
export class DataLoader<T extends readonly Tensor[]> implements Iterable<T> {
  /** Samples per batch. */
  readonly batchSize: number;
  /** Whether each pass draws a new order. */
  readonly shuffle: boolean;
  /** Whether a last, smaller batch is dropped. */
  readonly dropLast: boolean;
  /** The generator given, or null for the default one. */
  private readonly generator: Generator | null;

  constructor(
    /** The dataset batches are drawn from. */
    readonly dataset: Dataset<T>,
    options: DataLoaderOptions = {},
  ) {
    checkOptions('DataLoader', options, ['batchSize', 'shuffle', 'dropLast', 'generator']);
    const { batchSize = 1, shuffle = false, dropLast = false } = options;
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new Error(`DataLoader: batchSize must be a positive integer, got ${batchSize}`);
    }
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.generator = options.generator ?? null;
  }

  /** The number of batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /**
   * One epoch. Its random draws are torch's, in torch's order: each epoch's iterator draws a base
   * seed from the loader's generator (used by worker processes, which Wick has not); a shuffling
   * loader without a generator of its own then seeds a fresh generator from the default one, as
   * RandomSampler does, and takes the epoch's order from it (with a generator, from that one).
   * RandomSampler also draws a second permutation, which it throws away, once its indices are
   * used up (after the last full batch): with a generator of the loader's own that draw shows in
   * the next epoch's order, so it is made here too, at the same point.
   */
  *[Symbol.iterator](): Iterator<T> {
    const n = this.dataset.length;
    drawSeed(this.generator ?? defaultGenerator);
    const sampler = this.shuffle ? (this.generator ?? new Generator(drawSeed(defaultGenerator))) : null;
    const order = sampler !== null ? randperm(n, { generator: sampler }).dataSync() : Float64Array.from({ length: n }, (_, i) => i);
    const full = Math.floor(n / this.batchSize);
    for (let b = 0; b < full; b++) yield this.collate(order.subarray(b * this.batchSize, (b + 1) * this.batchSize));
    if (sampler !== null) randperm(n, { generator: sampler });
    if (!this.dropLast && full * this.batchSize < n) yield this.collate(order.subarray(full * this.batchSize, n));
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
