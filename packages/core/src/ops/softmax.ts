import { traced } from '../autograd/trace';
import { kernels } from '../backend';
import { Context } from '../autograd/context';
import { Function } from '../autograd/function';
import { normalizeDim } from '../shape';
import { Tensor, defineMethods } from '../tensor/tensor';
import { around, empty, requireFloat } from './util';

function forwardKernel(ctx: Context<number>, x: Tensor, dim: number, log: boolean): Tensor {
  const out = empty(x.shape, x.dtype);
  const [outer, size, inner] = around(x.shape, dim);
  kernels().softmax(x.dataSync(), outer, size, inner, out.storage.data, log);
  ctx.state = dim;
  ctx.saveForBackward(out);
  return out;
}

/** Both backward passes need only the output y (see the kernel for the formulas). */
function backwardKernel(ctx: Context<number>, g: Tensor, log: boolean): [Tensor, null] {
  const [y] = ctx.savedTensors;
  const gx = empty(y.shape, y.dtype);
  const [outer, size, inner] = around(y.shape, ctx.state);
  kernels().softmaxBackward(y.dataSync(), g.dataSync(), outer, size, inner, gx.storage.data, log);
  return [gx, null];
}

class LogSoftmax extends Function {
  static forward(ctx: Context<number>, x: Tensor, dim: number): Tensor {
    return forwardKernel(ctx, x, dim, true);
  }
  static backward(ctx: Context<number>, g: Tensor) {
    return backwardKernel(ctx, g, true);
  }
}

class Softmax extends Function {
  static forward(ctx: Context<number>, x: Tensor, dim: number): Tensor {
    return forwardKernel(ctx, x, dim, false);
  }
  static backward(ctx: Context<number>, g: Tensor) {
    return backwardKernel(ctx, g, false);
  }
}

/** exp(x) / sum(exp(x)) along dim, computed stably (torch.softmax). */
export const softmax = traced('softmax', function softmax(x: Tensor, dim: number): Tensor {
  requireFloat('softmax', x);
  return Softmax.apply(x, normalizeDim('softmax', dim, x.ndim));
});

/** log(softmax(x)) along dim, computed stably as x - logsumexp(x) (torch.log_softmax). */
export const logSoftmax = traced('logSoftmax', function logSoftmax(x: Tensor, dim: number): Tensor {
  requireFloat('logSoftmax', x);
  return LogSoftmax.apply(x, normalizeDim('logSoftmax', dim, x.ndim));
});

declare module '../tensor/tensor' {
  interface Tensor {
    /** Softmax along dim. */
    softmax(dim: number): Tensor;
    /** Log of the softmax along dim, computed stably. */
    logSoftmax(dim: number): Tensor;
  }
}

defineMethods({
  softmax(dim) {
    return softmax(this, dim);
  },
  logSoftmax(dim) {
    return logSoftmax(this, dim);
  },
});
