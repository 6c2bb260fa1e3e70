import { checkOptions } from '../../options';
import { formatShape, sameShape } from '../../shape';
import type { Tensor } from '../../tensor/tensor';
import { where } from '../elementwise';
import { requireFloat } from '../util';
import type { Reduction } from './reduction';
import { checkReduction } from './validate';

// Losses that compare input and target element by element, composed from other ops, as
// torch.nn.functional's: the elementwise loss, then the reduction ('mean' by default).

/** Options of the elementwise losses. */
export interface ElementwiseLossOptions {
  /** 'none', 'mean' (default) or 'sum'. */
  reduction?: Reduction;
}

const warned = new Set<string>();

/**
 * Input and target, float, and broadcast to a common shape: a target of another shape is usually
 * a bug (a missing dim makes every pair meet), so it gets torch's one-time warning.
 */
function operands(op: string, input: Tensor, target: Tensor): [Tensor, Tensor] {
  requireFloat(op, input, target);
  if (!sameShape(input.shape, target.shape) && !warned.has(op)) {
    warned.add(op);
    console.warn(
      `${op}: using a target size (${formatShape(target.shape)}) that is different to the input size (${formatShape(input.shape)}). ` +
        'This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.',
    );
  }
  return [input, target];
}

/** Reduces elementwise losses: kept, averaged or summed. */
export function reduce(losses: Tensor, reduction: Reduction): Tensor {
  return reduction === 'none' ? losses : reduction === 'sum' ? losses.sum() : losses.mean();
}

/** (input - target)^2, reduced (torch.nn.functional.mse_loss). */
export function mseLoss(input: Tensor, target: Tensor, options: ElementwiseLossOptions = {}): Tensor {
  checkOptions('mseLoss', options, ['reduction']);
  const reduction = checkReduction('mseLoss', options.reduction ?? 'mean');
  const [x, t] = operands('mseLoss', input, target);
  const d = x.sub(t);
  return reduce(d.mul(d), reduction);
}

/** |input - target|, reduced (torch.nn.functional.l1_loss). */
export function l1Loss(input: Tensor, target: Tensor, options: ElementwiseLossOptions = {}): Tensor {
  checkOptions('l1Loss', options, ['reduction']);
  const reduction = checkReduction('l1Loss', options.reduction ?? 'mean');
  const [x, t] = operands('l1Loss', input, target);
  return reduce(x.sub(t).abs(), reduction);
}

/**
 * 0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta, d = input - target
 * (torch.nn.functional.smooth_l1_loss; beta 0 is the L1 loss).
 */
export function smoothL1Loss(input: Tensor, target: Tensor, options: ElementwiseLossOptions & { beta?: number } = {}): Tensor {
  checkOptions('smoothL1Loss', options, ['reduction', 'beta']);
  const reduction = checkReduction('smoothL1Loss', options.reduction ?? 'mean');
  const beta = options.beta ?? 1;
  if (!(beta >= 0)) throw new Error(`smoothL1Loss: beta must be non-negative, got ${beta}`);
  const [x, t] = operands('smoothL1Loss', input, target);
  const d = x.sub(t);
  const a = d.abs();
  if (beta === 0) return reduce(a, reduction);
  return reduce(where(a.lt(beta), d.mul(d).mul(0.5 / beta), a.sub(0.5 * beta)), reduction);
}

/** 0.5 d^2 where |d| <= delta, else delta (|d| - 0.5 delta) (torch.nn.functional.huber_loss). */
export function huberLoss(input: Tensor, target: Tensor, options: ElementwiseLossOptions & { delta?: number } = {}): Tensor {
  checkOptions('huberLoss', options, ['reduction', 'delta']);
  const reduction = checkReduction('huberLoss', options.reduction ?? 'mean');
  const delta = options.delta ?? 1;
  if (!(delta > 0)) throw new Error(`huberLoss: delta must be positive, got ${delta}`);
  const [x, t] = operands('huberLoss', input, target);
  const d = x.sub(t);
  const a = d.abs();
  return reduce(where(a.le(delta), d.mul(d).mul(0.5), a.sub(0.5 * delta).mul(delta)), reduction);
}

/** Options of the binary cross-entropies. */
export interface BinaryCrossEntropyOptions extends ElementwiseLossOptions {
  /** A rescaling weight broadcast against the losses. */
  weight?: Tensor | null;
}

function weighted(losses: Tensor, weight: Tensor | null | undefined): Tensor {
  return weight === null || weight === undefined ? losses : losses.mul(weight);
}

/**
 * -(t log x + (1 - t) log(1 - x)) for probabilities x in [0, 1] (torch.nn.functional.binary_cross_entropy);
 * each log is clamped to at least -100, as torch's, so a probability of 0 or 1 gives a finite loss.
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: BinaryCrossEntropyOptions = {}): Tensor {
  checkOptions('binaryCrossEntropy', options, ['weight', 'reduction']);
  const reduction = checkReduction('binaryCrossEntropy', options.reduction ?? 'mean');
  const [x, t] = operands('binaryCrossEntropy', input, target);
  if (!sameShape(x.shape, t.shape)) {
    throw new Error(`binaryCrossEntropy: target of shape ${formatShape(t.shape)} must have the input's shape ${formatShape(x.shape)}`);
  }
  const values = x.dataSync();
  for (let i = 0; i < values.length; i++) {
    if (!(values[i] >= 0 && values[i] <= 1)) throw new Error(`binaryCrossEntropy: all elements of input should be between 0 and 1, got ${values[i]}`);
  }
  const logX = x.log().clamp(-100, null);
  const log1mX = x.neg().log1p().clamp(-100, null);
  return reduce(weighted(t.mul(logX).add(t.neg().add(1).mul(log1mX)).neg(), options.weight), reduction);
}

/**
 * Binary cross-entropy on logits, computed stably (torch.nn.functional.binary_cross_entropy_with_logits):
 * (1 - t) x + (1 + (posWeight - 1) t) (log(1 + exp(-|x|)) + max(-x, 0)), posWeight weighting the
 * positive class of each column (broadcast against the input's last dim).
 */
export function binaryCrossEntropyWithLogits(
  input: Tensor, target: Tensor, options: BinaryCrossEntropyOptions & { posWeight?: Tensor | null } = {},
): Tensor {
  checkOptions('binaryCrossEntropyWithLogits', options, ['weight', 'reduction', 'posWeight']);
  const reduction = checkReduction('binaryCrossEntropyWithLogits', options.reduction ?? 'mean');
  const [x, t] = operands('binaryCrossEntropyWithLogits', input, target);
  if (!sameShape(x.shape, t.shape)) {
    throw new Error(`binaryCrossEntropyWithLogits: target of shape ${formatShape(t.shape)} must have the input's shape ${formatShape(x.shape)}`);
  }
  const softplusNeg = x.abs().neg().exp().log1p().add(x.neg().clamp(0, null));
  const posWeight = options.posWeight ?? null;
  const logWeight = posWeight === null ? null : posWeight.sub(1).mul(t).add(1);
  const losses = t.neg().add(1).mul(x).add(logWeight === null ? softplusNeg : softplusNeg.mul(logWeight));
  return reduce(weighted(losses, options.weight), reduction);
}

/** Options of klDiv. */
export interface KLDivOptions {
  /** 'none', 'mean' (over elements, as torch), 'batchmean' (over the first dim: the KL divergence), or 'sum'. */
  reduction?: Reduction | 'batchmean';
  /** The target holds log-probabilities (default false: probabilities). */
  logTarget?: boolean;
}

/**
 * Kullback-Leibler divergence of a target from the input's log-probabilities
 * (torch.nn.functional.kl_div): t (log t - x), 0 where t = 0; exp(t) (t - x) with logTarget.
 */
export function klDiv(input: Tensor, target: Tensor, options: KLDivOptions = {}): Tensor {
  checkOptions('klDiv', options, ['reduction', 'logTarget']);
  const reduction = options.reduction ?? 'mean';
  if (reduction !== 'batchmean') checkReduction('klDiv', reduction);
  const [x, t] = operands('klDiv', input, target);
  const losses = options.logTarget === true ? t.exp().mul(t.sub(x)) : where(t.gt(0), t.mul(where(t.gt(0), t, 1).log()), 0).sub(t.mul(x));
  if (reduction === 'batchmean') return losses.sum().div(x.ndim === 0 ? 1 : x.shape[0]);
  return reduce(losses, reduction);
}
