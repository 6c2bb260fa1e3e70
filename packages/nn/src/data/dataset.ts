import { formatShape } from '@wick/core';
import type { Tensor } from '@wick/core';

/** A map-style dataset, as torch.utils.data.Dataset: a length and an item per index. */
export interface Dataset<T> {
  /** How many samples there are. */
  readonly length: number;
  /** The sample at index, from 0 to length - 1. */
  get(index: number): T;
}

/** Samples are the rows of tensors that share their first dim, as torch's TensorDataset. */
export class TensorDataset<T extends readonly Tensor[]> implements Dataset<T> {
  /** The tensors, each indexed along its first dim. */
  readonly tensors: T;

  constructor(...tensors: T) {
    if (tensors.length === 0) throw new Error('TensorDataset: expected at least one tensor');
    const n = tensors[0].shape[0];
    tensors.forEach((t, i) => {
      if (t.ndim === 0 || t.shape[0] !== n) {
        throw new Error(`TensorDataset: size mismatch between tensors: tensor 0 has ${n} rows, tensor ${i} has shape ${formatShape(t.shape)}`);
      }
    });
    this.tensors = tensors;
  }

  /** How many samples there are (the tensors' first dim). */
  get length(): number {
    return this.tensors[0].shape[0];
  }

  /** Each tensor's row at index. */
  get(index: number): T {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new Error(`TensorDataset: index ${index} is out of range for ${this.length} samples`);
    }
    return this.tensors.map((t) => t.select(0, index)) as unknown as T;
  }
}

/** The samples of `dataset` at `indices`, in that order, as torch.utils.data.Subset. */
export class Subset<T> implements Dataset<T> {
  /** The indices into dataset that make up this subset. */
  readonly indices: readonly number[];

  constructor(
    /** The dataset the subset picks from. */
    readonly dataset: Dataset<T>,
    indices: readonly number[],
  ) {
    indices.forEach((i) => {
      if (!Number.isInteger(i) || i < 0 || i >= dataset.length) {
        throw new Error(`Subset: index ${i} is out of range for a dataset of ${dataset.length} samples`);
      }
    });
    this.indices = [...indices];
  }

  /** How many samples there are (the indices' count). */
  get length(): number {
    return this.indices.length;
  }

  /** The sample at indices[index] of the dataset. */
  get(index: number): T {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new Error(`Subset: index ${index} is out of range for ${this.length} samples`);
    }
    return this.dataset.get(this.indices[index]);
  }
}

/** Datasets one after another, as torch.utils.data.ConcatDataset. */
export class ConcatDataset<T> implements Dataset<T> {
  /** The datasets, in order. */
  readonly datasets: readonly Dataset<T>[];
  /** The running totals of the datasets' lengths. */
  readonly cumulativeSizes: readonly number[];

  constructor(datasets: Iterable<Dataset<T>>) {
    this.datasets = [...datasets];
    if (this.datasets.length === 0) throw new Error('ConcatDataset: datasets should not be an empty iterable');
    let total = 0;
    this.cumulativeSizes = this.datasets.map((d) => (total += d.length));
  }

  /** How many samples there are in all. */
  get length(): number {
    return this.cumulativeSizes[this.cumulativeSizes.length - 1];
  }

  /** The sample at index counting through the datasets in order. */
  get(index: number): T {
    const i = index < 0 ? index + this.length : index;
    if (!Number.isInteger(i) || i < 0 || i >= this.length) {
      throw new Error(`ConcatDataset: index ${index} is out of range for ${this.length} samples`);
    }
    const which = this.cumulativeSizes.findIndex((end) => i < end);
    return this.datasets[which].get(which === 0 ? i : i - this.cumulativeSizes[which - 1]);
  }
}
