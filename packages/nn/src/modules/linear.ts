import { checkOptions, zeros, type DType, type Tensor } from '@wick/core';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { linear } from '../functional/linear';
import { kaimingUniform_, uniform_ } from '../init';

/** Options of Linear. */
export interface LinearOptions {
  /** Whether to learn a bias (default true). */
  bias?: boolean;
  /** The parameters' dtype (default float32). */
  dtype?: DType;
}

/** y = x W^T + b, with torch's default initialisation. */
export class Linear extends Module {
  /** The weights, (outFeatures, inFeatures). */
  readonly weight: Parameter;
  /** The bias, (outFeatures), or null without one. */
  readonly bias: Parameter | null;

  constructor(
    /** Size of each input sample. */
    readonly inFeatures: number,
    /** Size of each output sample. */
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    checkOptions('Linear', options, ['bias', 'dtype']);
    for (const [name, v] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new Error(`Linear: ${name} must be a non-negative integer, got ${v}`);
    }
    const dtype = options.dtype ?? 'float32';
    this.weight = new Parameter(zeros([outFeatures, inFeatures], { dtype }));
    this.bias = options.bias === false ? null : new Parameter(zeros([outFeatures], { dtype }));
    this.resetParameters();
  }

  /**
   * torch's default: kaiming-uniform weights with a = sqrt(5), i.e. U(-1/sqrt(fanIn), 1/sqrt(fanIn)),
   * and the bias uniform in the same bound.
   */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const bound = this.inFeatures > 0 ? 1 / Math.sqrt(this.inFeatures) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }

  extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
