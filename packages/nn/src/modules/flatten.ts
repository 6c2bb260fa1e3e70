import type { Tensor } from '@wick/core';
import { Module } from '../module';

/** Flattens dims startDim..endDim (by default all but the batch dim). */
export class Flatten extends Module {
  constructor(
    /** The first dim flattened (default 1). */ readonly startDim = 1,
    /** The last dim flattened (default -1). */ readonly endDim = -1,
  ) {
    super();
  }
  forward(input: Tensor): Tensor {
    return input.flatten(this.startDim, this.endDim);
  }
  extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}

/** Splits dim into unflattenedSize (one entry may be -1), as torch.nn.Unflatten: Flatten's inverse. */
export class Unflatten extends Module {
  /** The sizes the dim becomes. */
  readonly unflattenedSize: number[];
  constructor(
    /** The dim that is unflattened. */
    readonly dim: number,
    unflattenedSize: readonly number[],
  ) {
    super();
    this.unflattenedSize = [...unflattenedSize];
  }
  forward(input: Tensor): Tensor {
    const d = this.dim < 0 ? this.dim + input.ndim : this.dim;
    if (d < 0 || d >= input.ndim) throw new Error(`Unflatten: dim ${this.dim} is out of range for an input of shape [${input.shape.join(', ')}]`);
    return input.reshape([...input.shape.slice(0, d), ...this.unflattenedSize, ...input.shape.slice(d + 1)]);
  }
  extraRepr(): string {
    return `dim=${this.dim}, unflattenedSize=(${this.unflattenedSize.join(', ')})`;
  }
}
