import { isGradEnabled } from '../../autograd/gradMode';
import type { LossLayout } from '../../backend';
import { isFloatingPoint } from '../../dtype';
import { formatShape, sameShape } from '../../shape';
import type { Tensor } from '../../tensor/tensor';

import type { Reduction } from './reduction';

const REDUCTIONS: readonly string[] = ['none', 'mean', 'sum'];

export function checkReduction(op: string, reduction: string): Reduction {
  if (!REDUCTIONS.includes(reduction)) {
    throw new Error(`${op}: unknown reduction '${reduction}' (expected 'none', 'mean' or 'sum')`);
  }
  return reduction as Reduction;
}

/** The shape of one loss per sample: the input's without its class dim, (N, d1, ..., dk) or (). */
export function sampleShape(input: Tensor): number[] {
  return input.ndim === 1 ? [] : [input.shape[0], ...input.shape.slice(2)];
}

/** The class dim is 1, or 0 for an unbatched (C) input; the rest is (outer, inner) around it. */
export function classLayout(op: string, input: Tensor): LossLayout {
  if (!isFloatingPoint(input.dtype)) {
    throw new Error(`${op}: expected a floating-point input, got ${input.dtype}`);
  }
  if (input.ndim === 0) throw new Error(`${op}: input must have at least 1 dimension (C), got a 0-d tensor`);
  if (input.ndim === 1) return { outer: 1, classes: input.shape[0], inner: 1 };
  const inner = input.shape.slice(2).reduce((a, b) => a * b, 1);
  return { outer: input.shape[0], classes: input.shape[1], inner };
}

export function checkWeight(op: string, weight: Tensor | null | undefined, classes: number): Tensor | null {
  if (weight === null || weight === undefined) return null;
  if (!isFloatingPoint(weight.dtype)) throw new Error(`${op}: weight must be floating-point, got ${weight.dtype}`);
  if (weight.ndim !== 1 || weight.shape[0] !== classes) {
    throw new Error(`${op}: weight must be a 1-D tensor of ${classes} class weights, got shape ${formatShape(weight.shape)}`);
  }
  if (weight.requiresGrad && isGradEnabled()) {
    throw new Error(`${op}: gradients with respect to weight are not supported (as in PyTorch); pass weight.detach()`);
  }
  return weight;
}

export function checkIgnoreIndex(op: string, ignoreIndex: number): void {
  if (!Number.isSafeInteger(ignoreIndex)) throw new Error(`${op}: ignoreIndex must be an integer, got ${ignoreIndex}`);
}

/**
 * Class-index targets: int64, of the input's shape without the class dim, each in [0, C) or
 * equal to ignoreIndex.
 */
export function checkClassTarget(op: string, input: Tensor, target: Tensor, classes: number, ignoreIndex: number): void {
  const expected = sampleShape(input);
  if (target.dtype !== 'int64') {
    throw new Error(
      `${op}: expected int64 class-index targets, got a ${target.dtype} target of shape ${formatShape(target.shape)}` +
        (op === 'crossEntropy' ? `; class-probability targets must have the input's shape ${formatShape(input.shape)}` : ''),
    );
  }
  if (input.ndim >= 2 && target.ndim >= 1 && target.shape[0] !== input.shape[0]) {
    throw new Error(`${op}: expected input batch size (${input.shape[0]}) to match target batch size (${target.shape[0]})`);
  }
  if (!sameShape(target.shape, expected)) {
    throw new Error(
      `${op}: target of shape ${formatShape(target.shape)} does not fit input of shape ${formatShape(input.shape)}: expected a target of shape ${formatShape(expected)}`,
    );
  }
  const data = target.dataSync();
  for (let i = 0; i < data.length; i++) {
    const y = data[i];
    if (y !== ignoreIndex && (y < 0 || y >= classes)) {
      throw new Error(`${op}: target ${y} is out of bounds for ${classes} classes (valid: 0 to ${classes - 1}, or ignoreIndex ${ignoreIndex})`);
    }
  }
}
