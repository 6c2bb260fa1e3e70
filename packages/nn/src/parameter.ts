import { noGrad, Tensor } from '@wick/core';

/** A tensor that is a module's learnable state: requires grad by default, as torch.nn.Parameter. */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    super(data.storage, data.shape, data.dtype, data.strides, data.offset);
    this.requiresGrad_(requiresGrad);
  }
}

/**
 * Resets gradients, as Module.zeroGrad and Optimizer.zeroGrad do: to null (torch 2's default),
 * which lets an unexposed gradient's memory be reused, or to zero in place.
 */
export function zeroGrads(params: Iterable<Tensor>, setToNone: boolean): void {
  for (const p of params) {
    if (setToNone) p.grad = null;
    else noGrad(() => p.peekGrad()?.zero_());
  }
}
