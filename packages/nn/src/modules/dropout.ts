import type { Tensor } from '@wick/core';
import { Module } from '../module';
import { dropout, dropout2d } from '../functional/dropout';

/** Randomly zeroes elements with probability p while training; the identity in eval mode. */
export class Dropout extends Module {
  /** @param p The probability of zeroing (default 0.5). */
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new Error(`Dropout: probability has to be between 0 and 1, but got ${p}`);
  }
  forward(input: Tensor): Tensor {
    return dropout(input, this.p, this.training);
  }
  extraRepr(): string {
    return `p=${this.p}`;
  }
}

/** Randomly zeroes whole channels with probability p while training (torch.nn.Dropout2d); the identity in eval mode. */
export class Dropout2d extends Module {
  /** @param p The probability of zeroing (default 0.5). */
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new Error(`Dropout2d: probability has to be between 0 and 1, but got ${p}`);
  }
  forward(input: Tensor): Tensor {
    return dropout2d(input, this.p, this.training);
  }
  extraRepr(): string {
    return `p=${this.p}`;
  }
}
