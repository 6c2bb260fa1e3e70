import { getBackend } from '../backend';
import { isGradEnabled, noGrad } from '../autograd/gradMode';
import { checkValue, promoteTypes } from '../dtype';
import { formatShape, sameShape } from '../shape';
import { Tensor, type Scalar, type TensorOrScalar } from '../tensor/tensor';

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
export function inplace<T extends Tensor>(
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
  getBackend().copy(result.strided(), self.strided(), self.shape);
  self.storage.version++;
  return self;
}

export function fill<T extends Tensor>(self: T, value: Scalar): T {
  checkWritable('fill_', self);
  const v = typeof value === 'boolean' ? Number(value) : value;
  checkValue('fill_', self.dtype, v);
  getBackend().fill(self.strided(), self.shape, v);
  self.storage.version++;
  return self;
}
