import { Context } from '../autograd/context';
import { Function } from '../autograd/function';
import { defineMethods, type Tensor } from '../tensor/tensor';
import { unaryKernel } from './elementwise';
import { requireFloat } from './util';

class Erf extends Function {
  static forward(ctx: Context, x: Tensor): Tensor {
    requireFloat('erf', x);
    ctx.saveForBackward(x);
    return unaryKernel('erf', x);
  }
  // d erf(x) = 2 / sqrt(pi) * exp(-x^2) dx
  static backward(ctx: Context, g: Tensor) {
    const [x] = ctx.savedTensors;
    return g.mul(x.mul(x).neg().exp().mul(2 / Math.sqrt(Math.PI)));
  }
}

/** The error function, 2 / sqrt(pi) * integral of exp(-t^2) from 0 to x (torch.erf). */
export function erf(input: Tensor): Tensor {
  return Erf.apply(input);
}

declare module '../tensor/tensor' {
  interface Tensor {
    /** The error function (torch.erf). */
    erf(): Tensor;
  }
}

defineMethods({
  erf() {
    return erf(this);
  },
});
