import { allocate, isFloatingPoint, promoteTypes, promoteWithScalar, type DType, type Storage } from '../dtype';
import { numelOf, sameShape } from '../shape';
import { Tensor, type Scalar, type TensorOrScalar } from '../tensor/tensor';
import { allocateOutput } from '../tensor/bufferPool';
import { unsharedGradient } from '../autograd/accumulateGrad';

const CATEGORY: Record<DType, number> = { bool: 0, int64: 1, float32: 2, float64: 2 };

/**
 * The dtype a binary op computes in, as torch.result_type: tensors with dimensions outrank
 * zero-dim tensors, which only count when they are of a higher category (bool < integer <
 * floating); a number takes the tensor's dtype unless it is of a higher category (an integer
 * with a bool tensor gives int64, a fraction with an integer one float32).
 */
export function resultType(a: TensorOrScalar, b: TensorOrScalar): DType {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) {
    if (a instanceof Tensor) return promoteWithScalar(a.dtype, b as Scalar);
    if (b instanceof Tensor) return promoteWithScalar(b.dtype, a);
    throw new Error(`resultType: expected at least one tensor operand, got ${typeof a} and ${typeof b}`);
  }
  if ((a.ndim === 0) === (b.ndim === 0)) return promoteTypes(a.dtype, b.dtype);
  const [dimmed, zeroDim] = a.ndim > 0 ? [a, b] : [b, a];
  return CATEGORY[zeroDim.dtype] > CATEGORY[dimmed.dtype] ? zeroDim.dtype : dimmed.dtype;
}

/** Wraps a scalar as a zero-dim tensor of the dtype torch would give `other op scalar`. */
export function scalarTensor(value: number | boolean, other: DType): Tensor {
  const dtype = promoteWithScalar(other, value);
  const data = allocate(dtype, 1);
  data[0] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  return Tensor.fromStorage(data, [], dtype);
}

/** Both operands of a binary op as tensors; scalars take their dtype from the tensor operand. */
export function operands(op: string, a: TensorOrScalar, b: TensorOrScalar): [Tensor, Tensor] {
  if (a instanceof Tensor && b instanceof Tensor) return [a, b];
  if (a instanceof Tensor) return [a, scalarTensor(b as number | boolean, a.dtype)];
  if (b instanceof Tensor) return [scalarTensor(a, b.dtype), b];
  throw new Error(`${op}: expected at least one tensor operand, got ${typeof a} and ${typeof b}`);
}

export function requireFloat(op: string, ...tensors: Tensor[]): void {
  for (const t of tensors) {
    if (!isFloatingPoint(t.dtype)) {
      throw new Error(`${op}: expected a floating-point tensor, got ${t.dtype}; convert it with .float() first`);
    }
  }
}

/** The contiguous elements a kernel reads of an optional operand (null, or undefined as an absent saved tensor, gives null). */
export function dataOrNull(t: Tensor | null | undefined): Storage | null {
  return t === null || t === undefined ? null : t.dataSync();
}

/** The storage a kernel writes of an optional output, a fresh contiguous tensor such as empty() makes (null gives null). */
export function storageOrNull(t: Tensor | null): Storage | null {
  return t === null ? null : t.storage.data;
}

/** A zero-filled tensor for an op to write its output into. */
export function empty(shape: readonly number[], dtype: DType): Tensor {
  return Tensor.fromStorage(allocateOutput(dtype, numelOf(shape)), shape, dtype);
}

/**
 * Zero-filled tensors of the given shapes for the gradients a backward's kernel writes, null where
 * `needed` says no. They are fresh and held nowhere else, so a leaf may keep one as its .grad
 * without a copy.
 */
export function gradientOutputs(needed: readonly boolean[], shapes: readonly (readonly number[])[], dtype: DType): (Tensor | null)[] {
  return shapes.map((shape, i) => (needed[i] ? unsharedGradient(empty(shape, dtype)) : null));
}

/** t's strided window as seen from a broadcast `shape`: size-1 and missing dims get stride 0. */
export function broadcastView(t: Tensor, shape: readonly number[]) {
  const lead = shape.length - t.ndim;
  const strides = shape.map((_, d) => (d < lead || t.shape[d - lead] === 1 ? 0 : t.strides[d - lead]));
  return { data: t.storage.data, offset: t.offset, strides };
}

/**
 * Sums a gradient over the dims along which an operand of `shape` was broadcast, the adjoint
 * of broadcasting.
 */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let d = 0; d < g.ndim; d++) if (d < lead || (shape[d - lead] === 1 && g.shape[d] !== 1)) dims.push(d);
  const summed = dims.length > 0 ? g.sum(dims, true) : g;
  return summed.reshape(shape);
}

/** Splits a shape around `dim` into (outer, size, inner) for the middle-axis kernels. */
export function around(shape: readonly number[], dim: number): [number, number, number] {
  return [numelOf(shape.slice(0, dim)), shape.length === 0 ? 1 : shape[dim], numelOf(shape.slice(dim + 1))];
}

/**
 * int64 values are held exactly only up to 2^53 - 1 (see dtype.ts): an integer result beyond
 * that is refused rather than rounded.
 */
export function checkInt64Range(op: string, t: Tensor): Tensor {
  if (t.dtype !== 'int64') return t;
  const data = t.storage.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isSafeInteger(data[i])) {
      throw new Error(`${op}: int64 result ${data[i]} is beyond 2^53 - 1, the largest integer Wick holds exactly`);
    }
  }
  return t;
}
