import { kernels } from '../backend';
import { isGradEnabled, noGrad } from '../autograd/gradMode';
import { checkValue, promoteTypes } from '../dtype';
import { formatShape, sameShape } from '../shape';
import { Tensor, defineMethods, type Scalar, type TensorOrScalar } from '../tensor/tensor';
import { toDtype } from './convert';
import { add, clamp, div, mul, sub } from './elementwise';

/**
 * Refuses in-place writes autograd could not account for: to a leaf that requires grad (as
 * torch refuses), and, in this version, to any tensor in a recorded graph.
 */
function checkWritable(op: string, self: Tensor, other?: TensorOrScalar): void {
  if (self.shape.some((size, d) => size > 1 && self.strides[d] === 0)) {
    throw new Error(
      `${op}: the tensor of shape ${formatShape(self.shape)} is an expanded view in which several elements share one memory location; call contiguous() or clone() first`,
    );
  }
  if (!isGradEnabled()) return;
  if (self.requiresGrad && self.isLeaf) {
    throw new Error(`${op}: a leaf tensor that requires grad is being used in an in-place operation; wrap it in noGrad() or use the out-of-place form`);
  }
  if (self.requiresGrad || (other instanceof Tensor && other.requiresGrad)) {
    throw new Error(`${op}: in-place operations on tensors that take part in autograd are not supported; use the out-of-place form`);
  }
}

/** Computes compute(self, other) out of place, then writes it into self's storage (views included). */
function inplace<T extends Tensor>(
  self: T,
  op: string,
  compute: (self: Tensor, other: TensorOrScalar) => Tensor,
  other: TensorOrScalar = self,
): T {
  checkWritable(op, self, other);
  const result = noGrad(() => compute(self, other));
  if (!sameShape(result.shape, self.shape)) {
    throw new Error(`${op}: the result of shape ${formatShape(result.shape)} does not fit the tensor of shape ${formatShape(self.shape)}`);
  }
  if (promoteTypes(result.dtype, self.dtype) !== self.dtype) {
    throw new Error(`${op}: result type ${result.dtype} can't be cast to the tensor's dtype ${self.dtype}`);
  }
  kernels().copy(result.strided(), self.strided(), self.shape);
  self.storage.version++;
  return self;
}

function fill<T extends Tensor>(self: T, value: Scalar): T {
  checkWritable('fill_', self);
  const v = typeof value === 'boolean' ? Number(value) : value;
  checkValue('fill_', self.dtype, v);
  kernels().fill(self.strided(), self.shape, v);
  self.storage.version++;
  return self;
}

declare module '../tensor/tensor' {
  interface Tensor {
    /** this += other, in place. */
    add_(other: TensorOrScalar): this;
    /** this -= other, in place. */
    sub_(other: TensorOrScalar): this;
    /** this *= other, in place. */
    mul_(other: TensorOrScalar): this;
    /** this /= other, in place. */
    div_(other: TensorOrScalar): this;
    /** Clamps into [min, max] in place. */
    clamp_(min?: number | null, max?: number | null): this;
    /** Copies src (broadcast and converted to this dtype) into this tensor. */
    copy_(src: Tensor): this;
    /** Sets every element to value. */
    fill_(value: Scalar): this;
    /** Sets every element to 0. */
    zero_(): this;
  }
}

defineMethods({
  add_(other) {
    return inplace(this, 'add_', add, other);
  },
  sub_(other) {
    return inplace(this, 'sub_', sub, other);
  },
  mul_(other) {
    return inplace(this, 'mul_', mul, other);
  },
  div_(other) {
    return inplace(this, 'div_', div, other);
  },
  clamp_(min, max) {
    return inplace(this, 'clamp_', (t) => clamp(t, min, max));
  },
  copy_(src) {
    return inplace(this, 'copy_', (t) => toDtype(src, t.dtype).expand(t.shape), src);
  },
  fill_(value) {
    return fill(this, value);
  },
  zero_() {
    return fill(this, 0);
  },
});
