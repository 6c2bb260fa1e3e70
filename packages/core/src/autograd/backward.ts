import { checkOptions } from '../options';
import { formatShape, sameShape } from '../shape';
import { onesLike } from '../tensor/creation';
import { defineMethods, type Tensor } from '../tensor/tensor';
import { runBackward } from './engine';

/** Options of Tensor.backward. */
export interface BackwardOptions {
  /** Keep saved tensors so the graph can be backpropagated again. */
  retainGraph?: boolean;
}

declare module '../tensor/tensor' {
  interface Tensor {
    /**
     * Computes the gradient of this tensor with respect to the graph leaves. A scalar needs no
     * `gradient` (it is taken as 1); any other tensor needs one of its own shape, as in torch.
     */
    backward(gradient?: Tensor, options?: BackwardOptions): void;
  }
}

defineMethods({
  backward(gradient, options = {}) {
    checkOptions('backward', options, ['retainGraph']);
    if (!this.requiresGrad) {
      throw new Error('backward: the tensor does not require grad and has no gradFn');
    }
    let g: Tensor;
    if (gradient === undefined) {
      if (this.numel() !== 1) {
        throw new Error(
          `backward: grad can be implicitly created only for scalar outputs; this tensor has shape ${formatShape(this.shape)}, pass a gradient`,
        );
      }
      g = onesLike(this);
    } else {
      if (!sameShape(gradient.shape, this.shape)) {
        throw new Error(
          `backward: gradient of shape ${formatShape(gradient.shape)} does not match the tensor's shape ${formatShape(this.shape)}`,
        );
      }
      g = gradient.detach();
    }
    runBackward([this], [g], options.retainGraph ?? false);
  },
});
