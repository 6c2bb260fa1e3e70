import { Tensor } from '@wick/core';

/** A tensor that is a module's learnable state: requires grad by default, as torch.nn.Parameter. */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    super(data);
    this.requiresGrad_(requiresGrad);
  }
}
