import type { Tensor } from '@wick/core';
import { Module } from '../module';
import { dropout } from '../functional/dropout';

/** Randomly zeroes elements with probability p while training; the identity in eval mode. */
export class Dropout extends Module {
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
