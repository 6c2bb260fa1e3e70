import { traced } from '../autograd/trace';
import { unsharedGradient } from '../autograd/accumulateGrad';
import { Context } from '../autograd/context';
import { Function } from '../autograd/function';
import { formatShape } from '../shape';
import { Tensor } from '../tensor/tensor';
import { product } from './matmul';
import { requireFloat } from './util';

/** t as a matrix of `cols` columns; a matrix already stays as it is (no view to build). */
function asRows(t: Tensor, cols: number): Tensor {
  return t.ndim === 2 ? t : t.reshape([-1, cols]);
}

/** y (N, out) back in the leading shape of `like`; a matrix input needs nothing. */
function unflatten(y: Tensor, like: Tensor, cols: number): Tensor {
  return like.ndim === 2 ? y : y.reshape([...like.shape.slice(0, -1), cols]);
}

/**
 * y = x W^T + b as one op over x flattened to (N, in). Backward takes each gradient straight
 * from a GEMM in the layout it is stored in:
 *   dx = dy W,  dW = dy^T x  (out x in, like W: no transpose to copy),  db = sum over rows of dy.
 */
class Linear extends Function {
  static forward(ctx: Context, x: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
    const rows = asRows(x, weight.shape[1]);
    const y = product(rows, weight.t(), bias);
    ctx.saveForBackward(rows, weight);
    return unflatten(y, x, weight.shape[0]);
  }

  static backward(ctx: Context, g: Tensor) {
    const [rows, weight] = ctx.savedTensors;
    const g2 = asRows(g, weight.shape[0]);
    const gx = ctx.needsInputGrad[0] ? unflatten(product(g2, weight), g, weight.shape[1]) : null;
    const gw = ctx.needsInputGrad[1] ? unsharedGradient(product(g2.t(), rows)) : null;
    const gb = ctx.needsInputGrad[2] ? unsharedGradient(g2.sum(0)) : null;
    return [gx, gw, gb];
  }
}

/** y = x W^T + b, as torch.nn.functional.linear; W is (out, in), read transposed in place. */
export const linear = traced('linear', function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  requireFloat('linear', x, weight);
  if (weight.ndim !== 2) throw new Error(`linear: weight must be 2-D (out_features, in_features), got shape ${formatShape(weight.shape)}`);
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== weight.shape[1]) {
    throw new Error(`linear: input of shape ${formatShape(x.shape)} does not end in in_features = ${weight.shape[1]} of weight ${formatShape(weight.shape)}`);
  }
  if (x.dtype !== weight.dtype) throw new Error(`linear: input is ${x.dtype} but weight is ${weight.dtype}`);
  const b = bias ?? null;
  if (b !== null && (b.ndim !== 1 || b.shape[0] !== weight.shape[0])) {
    throw new Error(`linear: bias must have shape [${weight.shape[0]}], got ${formatShape(b.shape)}`);
  }
  if (b !== null && b.dtype !== weight.dtype) throw new Error(`linear: bias is ${b.dtype} but weight is ${weight.dtype}`);
  return Linear.apply(x, weight, b);
});
