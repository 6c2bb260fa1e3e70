import type { Tensor } from '@wick/core';
import { Module } from '../module';
import { crossEntropy, nllLoss, type CrossEntropyOptions, type NLLLossOptions, type Reduction } from '../functional/loss';

/**
 * What NLLLoss and CrossEntropyLoss share, as torch's _WeightedLoss: class weights kept as a
 * buffer (so they travel in stateDict), the ignored target value and the reduction.
 */
abstract class WeightedLoss extends Module {
  declare readonly weight: Tensor | null;
  readonly ignoreIndex: number;
  readonly reduction: Reduction;

  constructor(options: NLLLossOptions) {
    super();
    this.registerBuffer('weight', options.weight ?? null);
    this.ignoreIndex = options.ignoreIndex ?? -100;
    this.reduction = options.reduction ?? 'mean';
  }
}

/** The negative log-likelihood loss over log-probabilities (see F.nllLoss). */
export class NLLLoss extends WeightedLoss {
  constructor(options: NLLLossOptions = {}) {
    super(options);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

/** Cross-entropy between logits and class indices or probabilities (see F.crossEntropy). */
export class CrossEntropyLoss extends WeightedLoss {
  readonly labelSmoothing: number;

  constructor(options: CrossEntropyOptions = {}) {
    super(options);
    this.labelSmoothing = options.labelSmoothing ?? 0;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, {
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      reduction: this.reduction,
      labelSmoothing: this.labelSmoothing,
    });
  }
}
