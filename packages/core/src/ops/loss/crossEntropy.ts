import { traced } from '../../autograd/trace';
import { checkOptions } from '../../options';
import { Context } from '../../autograd/context';
import { Function } from '../../autograd/function';
import { kernels, type LossLayout } from '../../backend';
import { isFloatingPoint } from '../../dtype';
import { formatShape, sameShape } from '../../shape';
import { tensor, zerosLike } from '../../tensor/creation';
import type { Tensor } from '../../tensor/tensor';
import { dataOrNull, storageOrNull } from '../util';
import { classTargets, perSample, reduceLosses, sampleScale, type Reduction } from './reduction';
import { checkClassTarget, checkIgnoreIndex, checkReduction, checkWeight, classLayout, sampleShape } from './validate';

/** Options of crossEntropy, as torch's F.cross_entropy keyword arguments. */
export interface CrossEntropyOptions {
  /** A manual rescaling weight for each class (a 1-D tensor of length C). */
  weight?: Tensor | null;
  /** Class-index targets equal to this contribute nothing (not supported with probability targets). */
  ignoreIndex?: number;
  /** 'mean' (default; weighted by the targets' class weights), 'sum' or 'none'. */
  reduction?: Reduction;
  /** Mixes the target with the uniform distribution: (1 - labelSmoothing) * target + labelSmoothing / C. */
  labelSmoothing?: number;
}

interface CeState {
  layout: LossLayout;
  reduction: Reduction;
  ignoreIndex: number;
  labelSmoothing: number;
  divisor: number;
}

/**
 * Cross-entropy with class-index targets as one op. Forward keeps the softmax it computes on the
 * way (a tensor of the input's size, as the unfused path keeps its log-softmax), so backward is
 * a multiply per element with no exponential (formulas in the kernels).
 */
class CrossEntropy extends Function {
  static forward(
    ctx: Context<CeState>, input: Tensor, target: Tensor, weight: Tensor | null, ignoreIndex: number,
    reduction: Reduction, labelSmoothing: number, layout: LossLayout,
  ): Tensor {
    const losses = perSample(input, layout);
    const probs = zerosLike(input);
    const targets = classTargets(target, weight, ignoreIndex);
    const divisor = kernels().crossEntropyForward(input.dataSync(), targets, layout, labelSmoothing, losses, probs.storage.data);
    ctx.state = { layout, reduction, ignoreIndex, labelSmoothing, divisor };
    ctx.saveForBackward(probs, target, ...(weight === null ? [] : [weight]));
    return reduceLosses(losses, reduction, divisor, target.shape, input);
  }

  static backward(ctx: Context<CeState>, g: Tensor) {
    const [probs, target, weight = null] = ctx.savedTensors;
    const { layout, reduction, ignoreIndex, labelSmoothing, divisor } = ctx.state;
    const gx = zerosLike(probs);
    const scale = sampleScale(g, reduction, divisor, layout);
    kernels().crossEntropyBackward(probs.storage.data, classTargets(target, weight, ignoreIndex), layout, labelSmoothing, scale, gx.storage.data);
    return [gx, null, null, null, null, null, null];
  }
}

/**
 * Cross-entropy with class-probability targets (a float target of the input's shape) as one op;
 * 'mean' divides by the number of samples N * d1 * ... * dk. Differentiable in the target too.
 */
class SoftCrossEntropy extends Function {
  static forward(
    ctx: Context<CeState>, input: Tensor, target: Tensor, weight: Tensor | null, reduction: Reduction, labelSmoothing: number,
    layout: LossLayout,
  ): Tensor {
    const losses = perSample(input, layout);
    const samples = losses.length;
    const lse = new Float64Array(samples);
    const w = dataOrNull(weight);
    kernels().softCrossEntropyForward(input.dataSync(), target.dataSync(), w, layout, labelSmoothing, losses, lse);
    ctx.state = { layout, reduction, ignoreIndex: -100, labelSmoothing, divisor: samples };
    ctx.saveForBackward(input, target, tensor(lse), ...(weight === null ? [] : [weight]));
    return reduceLosses(losses, reduction, samples, sampleShape(input), input);
  }

  static backward(ctx: Context<CeState>, g: Tensor) {
    const [input, target, lse, weight = null] = ctx.savedTensors;
    const { layout, reduction, labelSmoothing, divisor } = ctx.state;
    const gx = ctx.needsInputGrad[0] ? zerosLike(input) : null;
    const gt = ctx.needsInputGrad[1] ? zerosLike(target) : null;
    const scale = sampleScale(g, reduction, divisor, layout);
    kernels().softCrossEntropyBackward(
      input.dataSync(), lse.dataSync(), target.dataSync(), dataOrNull(weight), layout, labelSmoothing, scale, storageOrNull(gx), storageOrNull(gt),
    );
    return [gx, gt, null, null, null, null];
  }
}

/**
 * Cross-entropy between logits and targets, as torch.nn.functional.cross_entropy: equal to
 * nllLoss(logSoftmax(input, classDim), target) for class indices, computed as one fused op.
 * A target of the input's shape holds class probabilities instead.
 */
export const crossEntropy = traced('crossEntropy', function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  checkOptions('crossEntropy', options, ['weight', 'ignoreIndex', 'reduction', 'labelSmoothing']);
  const { ignoreIndex = -100, labelSmoothing = 0 } = options;
  const reduction = checkReduction('crossEntropy', options.reduction ?? 'mean');
  checkIgnoreIndex('crossEntropy', ignoreIndex);
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new Error(`crossEntropy: labelSmoothing must be in [0, 1], got ${labelSmoothing}`);
  }
  const layout = classLayout('crossEntropy', input);
  const weight = checkWeight('crossEntropy', options.weight, layout.classes);
  if (sameShape(input.shape, target.shape)) {
    if (!isFloatingPoint(target.dtype)) {
      throw new Error(
        `crossEntropy: a target of the input's shape ${formatShape(input.shape)} holds class probabilities and must be floating-point, got ${target.dtype}`,
      );
    }
    if (ignoreIndex >= 0) {
      throw new Error(`crossEntropy: ignoreIndex (${ignoreIndex}) is not supported for class-probability targets`);
    }
    return SoftCrossEntropy.apply(input, target, weight, reduction, labelSmoothing, layout);
  }
  checkClassTarget('crossEntropy', input, target, layout.classes, ignoreIndex);
  return CrossEntropy.apply(input, target, weight, ignoreIndex, reduction, labelSmoothing, layout);
});
