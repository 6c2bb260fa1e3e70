import { checkOptions } from '@wick/core';
import type { Tensor } from '@wick/core';
import { Module } from '../module';
import {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, crossEntropy, huberLoss, klDiv, l1Loss, mseLoss, nllLoss, smoothL1Loss,
  type CrossEntropyOptions, type KLDivOptions, type NLLLossOptions, type Reduction,
} from '../functional/loss';

/**
 * What NLLLoss and CrossEntropyLoss share, as torch's _WeightedLoss: class weights kept as a
 * buffer (so they travel in stateDict), the ignored target value and the reduction.
 */
abstract class WeightedLoss extends Module {
  /** Per-class weights (a buffer), or null. */
  declare readonly weight: Tensor | null;
  /** A target value that contributes nothing (default -100). */
  readonly ignoreIndex: number;
  /** 'mean' (default), 'sum' or 'none'. */
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
    checkOptions('NLLLoss', options, ['weight', 'ignoreIndex', 'reduction']);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

/** Cross-entropy between logits and class indices or probabilities (see F.crossEntropy). */
export class CrossEntropyLoss extends WeightedLoss {
  /** Mass moved from the target class to all classes evenly (default 0). */
  readonly labelSmoothing: number;

  constructor(options: CrossEntropyOptions = {}) {
    super(options);
    checkOptions('CrossEntropyLoss', options, ['weight', 'ignoreIndex', 'reduction', 'labelSmoothing']);
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

/** What the elementwise losses share, as torch's _Loss: the reduction. */
abstract class ReducedLoss extends Module {
  /** 'mean' (default), 'sum' or 'none'. */
  readonly reduction: Reduction;
  constructor(options: { reduction?: Reduction }) {
    super();
    this.reduction = options.reduction ?? 'mean';
  }
}

/** Mean squared error (see F.mseLoss). */
export class MSELoss extends ReducedLoss {
  constructor(options: { reduction?: Reduction } = {}) {
    super(options);
    checkOptions('MSELoss', options, ['reduction']);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

/** Mean absolute error (see F.l1Loss). */
export class L1Loss extends ReducedLoss {
  constructor(options: { reduction?: Reduction } = {}) {
    super(options);
    checkOptions('L1Loss', options, ['reduction']);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

/** Quadratic below beta, linear above (see F.smoothL1Loss). */
export class SmoothL1Loss extends ReducedLoss {
  /** Where the loss turns from quadratic to linear (default 1). */
  readonly beta: number;
  constructor(options: { reduction?: Reduction; beta?: number } = {}) {
    super(options);
    checkOptions('SmoothL1Loss', options, ['reduction', 'beta']);
    this.beta = options.beta ?? 1;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

/** Quadratic below delta, linear (scaled by delta) above (see F.huberLoss). */
export class HuberLoss extends ReducedLoss {
  /** Where the loss turns from quadratic to linear (default 1). */
  readonly delta: number;
  constructor(options: { reduction?: Reduction; delta?: number } = {}) {
    super(options);
    checkOptions('HuberLoss', options, ['reduction', 'delta']);
    this.delta = options.delta ?? 1;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

/** Binary cross-entropy on probabilities (see F.binaryCrossEntropy); weight is a buffer, as in torch. */
export class BCELoss extends ReducedLoss {
  /** Per-element weights (a buffer), or null. */
  declare readonly weight: Tensor | null;
  constructor(options: { weight?: Tensor | null; reduction?: Reduction } = {}) {
    super(options);
    checkOptions('BCELoss', options, ['weight', 'reduction']);
    this.registerBuffer('weight', options.weight ?? null);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/**
 * Binary cross-entropy on logits (see F.binaryCrossEntropyWithLogits); weight and posWeight are
 * buffers under torch's state-dict keys 'weight' and 'pos_weight'.
 */
export class BCEWithLogitsLoss extends ReducedLoss {
  /** Per-element weights (a buffer), or null. */
  declare readonly weight: Tensor | null;
  /** Weights of the positive examples per class (a buffer, torch's name), or null. */
  declare readonly pos_weight: Tensor | null;
  constructor(options: { weight?: Tensor | null; reduction?: Reduction; posWeight?: Tensor | null } = {}) {
    super(options);
    checkOptions('BCEWithLogitsLoss', options, ['weight', 'reduction', 'posWeight']);
    this.registerBuffer('weight', options.weight ?? null);
    this.registerBuffer('pos_weight', options.posWeight ?? null);
  }
  /** The positive classes' weight (the buffer 'pos_weight'). */
  get posWeight(): Tensor | null {
    return this.pos_weight;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.pos_weight, reduction: this.reduction });
  }
}

/** Kullback-Leibler divergence (see F.klDiv). */
export class KLDivLoss extends Module {
  /** 'mean' (default), 'batchmean' (torch's mathematically correct one), 'sum' or 'none'. */
  readonly reduction: Reduction | 'batchmean';
  /** Whether the target is given as log-probabilities (default false). */
  readonly logTarget: boolean;
  constructor(options: KLDivOptions = {}) {
    super();
    checkOptions('KLDivLoss', options, ['reduction', 'logTarget']);
    this.reduction = options.reduction ?? 'mean';
    this.logTarget = options.logTarget ?? false;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}
