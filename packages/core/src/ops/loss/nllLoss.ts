import { traced } from '../../autograd/trace';
import { checkOptions } from '../../options';
import { Context } from '../../autograd/context';
import { Function } from '../../autograd/function';
import { kernels, type LossLayout } from '../../backend';
import { zerosLike } from '../../tensor/creation';
import type { Tensor } from '../../tensor/tensor';
import { classTargets, perSample, reduceLosses, sampleScale, type Reduction } from './reduction';
import { checkClassTarget, checkIgnoreIndex, checkReduction, checkWeight, classLayout } from './validate';

/** Options of nllLoss, as torch's F.nll_loss keyword arguments. */
export interface NLLLossOptions {
  /** A manual rescaling weight for each class (a 1-D tensor of length C). */
  weight?: Tensor | null;
  /** Targets equal to this contribute nothing and are left out of the mean's divisor. */
  ignoreIndex?: number;
  /** 'mean' (default; weighted by the targets' class weights), 'sum' or 'none'. */
  reduction?: Reduction;
}

interface NllState {
  layout: LossLayout;
  reduction: Reduction;
  ignoreIndex: number;
  totalWeight: number;
}

/**
 * NLL as one op: loss_s = -w[y_s] x[s, y_s]; 'mean' divides by the summed weight of the kept
 * targets. Backward writes -w[y] g / totalWeight at each target's position, zero elsewhere.
 */
class NllLoss extends Function {
  static forward(
    ctx: Context<NllState>, input: Tensor, target: Tensor, weight: Tensor | null, ignoreIndex: number, reduction: Reduction,
    layout: LossLayout,
  ): Tensor {
    const losses = perSample(input, layout);
    const totalWeight = kernels().nllLossForward(input.dataSync(), classTargets(target, weight, ignoreIndex), layout, losses);
    ctx.state = { layout, reduction, ignoreIndex, totalWeight };
    ctx.saveForBackward(input, target, ...(weight === null ? [] : [weight]));
    return reduceLosses(losses, reduction, totalWeight, target.shape, input);
  }

  static backward(ctx: Context<NllState>, g: Tensor) {
    const [input, target, weight = null] = ctx.savedTensors;
    const { layout, reduction, ignoreIndex, totalWeight } = ctx.state;
    const gx = zerosLike(input);
    const scale = sampleScale(g, reduction, totalWeight, layout);
    kernels().nllLossBackward(classTargets(target, weight, ignoreIndex), layout, scale, gx.storage.data);
    return [gx, null, null, null, null, null];
  }
}

/**
 * The negative log-likelihood loss, as torch.nn.functional.nll_loss: input holds
 * log-probabilities of shape (C), (N, C) or (N, C, d1, ..., dk); target holds int64 class indices
 * of shape (), (N) or (N, d1, ..., dk).
 */
export const nllLoss = traced('nllLoss', function nllLoss(input: Tensor, target: Tensor, options: NLLLossOptions = {}): Tensor {
  checkOptions('nllLoss', options, ['weight', 'ignoreIndex', 'reduction']);
  const { ignoreIndex = -100 } = options;
  const reduction = checkReduction('nllLoss', options.reduction ?? 'mean');
  checkIgnoreIndex('nllLoss', ignoreIndex);
  const layout = classLayout('nllLoss', input);
  const weight = checkWeight('nllLoss', options.weight, layout.classes);
  checkClassTarget('nllLoss', input, target, layout.classes, ignoreIndex);
  return NllLoss.apply(input, target, weight, ignoreIndex, reduction, layout);
});
