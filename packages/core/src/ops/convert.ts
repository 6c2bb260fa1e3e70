import { traced } from '../autograd/trace';
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
export const clone = traced('clone', function clone(x: Tensor): Tensor {
  return Clone.apply(x);
});

/** x converted to dtype (x itself when already of that dtype, as in torch). */
export const toDtype = traced('toDtype', function toDtype(x: Tensor, dtype: DType): Tensor {
  return dtype === x.dtype ? x : ToDtype.apply(x, dtype);
});

const DTYPES: readonly string[] = ['float32', 'float64', 'int64', 'bool'];

/**
 * Refuses any device but the CPU, on which Wick computes (in WebAssembly where available):
 * 'cpu' (and 'cpu:0') is accepted, so code written for torch's `.to(device)` runs unchanged.
 */
export function checkDevice(op: string, device: string): void {
  if (device !== 'cpu' && device !== 'cpu:0') {
    throw new Error(`${op}: Wick computes on the CPU (in WebAssembly where available); there is no device '${device}'. Use 'cpu' or drop the call`);
  }
}

/** Whether `target` names a dtype (else it is a device). */
export function isDType(target: string): target is DType {
  return DTYPES.includes(target);
}

declare module '../tensor/tensor' {
  interface Tensor {
    /** This tensor converted to dtype (itself when already of it); a device: 'cpu' is this tensor, any other is refused. */
    to(target: DType | string): Tensor;
    /** This tensor viewed with other's shape (torch's view_as). */
    viewAs(other: Tensor): Tensor;
    /** This tensor converted to other's dtype (torch's type_as). */
    typeAs(other: Tensor): Tensor;
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
  to(target) {
    if (isDType(target)) return toDtype(this, target);
    checkDevice('to', target);
    return this;
  },
  viewAs(other) {
    return this.view(other.shape);
  },
  typeAs(other) {
    return toDtype(this, other.dtype);
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
