import { kernels } from '../backend';
import { Context } from '../autograd/context';
import { Function } from '../autograd/function';
import { isFloatingPoint, type DType } from '../dtype';
import { Tensor, defineMethods } from '../tensor/tensor';
import { empty } from './util';

function copyAs(x: Tensor, dtype: DType): Tensor {
  const out = empty(x.shape, dtype);
  kernels().copy(x.strided(), out.strided(), x.shape);
  return out;
}

class Clone extends Function {
  static forward(_ctx: Context, x: Tensor): Tensor {
    return copyAs(x, x.dtype);
  }
  static backward(_ctx: Context, g: Tensor) {
    return g;
  }
}

class ToDtype extends Function {
  static forward(ctx: Context<DType>, x: Tensor, dtype: DType): Tensor {
    ctx.state = x.dtype;
    const out = copyAs(x, dtype);
    if (dtype === 'int64' && isFloatingPoint(x.dtype)) {
      // Conversion to an integer type truncates toward zero, as in torch.
      const d = out.storage.data;
      for (let i = 0; i < d.length; i++) {
        if (!Number.isFinite(d[i]) || Math.abs(d[i]) > Number.MAX_SAFE_INTEGER) {
          throw new Error(`to(int64): value ${d[i]} cannot be represented as int64`);
        }
        d[i] = Math.trunc(d[i]);
      }
    }
    return out;
  }
  static backward(ctx: Context<DType>, g: Tensor) {
    return [g.to(ctx.state), null];
  }
}

/** A copy with its own storage; gradients flow through it unchanged. */
export function clone(x: Tensor): Tensor {
  return Clone.apply(x);
}

/** x converted to dtype (x itself when already of that dtype, as in torch). */
export function toDtype(x: Tensor, dtype: DType): Tensor {
  return dtype === x.dtype ? x : ToDtype.apply(x, dtype);
}

declare module '../tensor/tensor' {
  interface Tensor {
    /** This tensor converted to dtype (itself when already of it). */
    to(dtype: DType): Tensor;
    /** to('float32'). */
    float(): Tensor;
    /** to('float64'). */
    double(): Tensor;
    /** to('int64'), truncating toward zero. */
    long(): Tensor;
    /** to('bool'). */
    bool(): Tensor;
    /** A copy with its own storage; gradients flow through it. */
    clone(): Tensor;
    /** This tensor if contiguous, else a contiguous copy. */
    contiguous(): Tensor;
  }
}

defineMethods({
  to(dtype) {
    return toDtype(this, dtype);
  },
  float() {
    return toDtype(this, 'float32');
  },
  double() {
    return toDtype(this, 'float64');
  },
  long() {
    return toDtype(this, 'int64');
  },
  bool() {
    return toDtype(this, 'bool');
  },
  clone() {
    return clone(this);
  },
  contiguous() {
    return this.isContiguous() ? this : clone(this);
  },
});
