import { allocate, type DType, type Storage } from '../dtype';

/**
 * Large buffers known to be garbage, handed to the next op output of the same element size and
 * length. JavaScript frees a typed array only when the collector gets to it, so a training step
 * that drops a parameter's gradient and computes a new one would get fresh, cold memory every
 * time (zeroed by malloc, then written again), and malloc's footprint creeps up as freed blocks
 * scatter; torch frees the gradient the moment its use count drops to zero and gets the same
 * block back. Only gradients that nothing outside autograd can hold come here (see
 * Tensor.grad's setter).
 */
const MIN_BYTES = 1 << 16;
const MAX_PER_SIZE = 4;
const MAX_TOTAL_BYTES = 1 << 26;

const free = new Map<string, Storage[]>();
let pooledBytes = 0;

const key = (bytesPerElement: number, length: number) => `${bytesPerElement}:${length}`;
const BYTES_PER_ELEMENT: Record<DType, number> = { float32: 4, float64: 8, int64: 8, bool: 1 };

/** Keeps a dead buffer for reuse, if it is large enough to be worth it and the pool has room. */
export function recycle(data: Storage): void {
  if (data.byteLength < MIN_BYTES || pooledBytes + data.byteLength > MAX_TOTAL_BYTES) return;
  const k = key(data.BYTES_PER_ELEMENT, data.length);
  const list = free.get(k) ?? [];
  if (list.length === MAX_PER_SIZE) return;
  list.push(data);
  free.set(k, list);
  pooledBytes += data.byteLength;
}

/** A zero-filled buffer for an op's output: a recycled one when the pool has one of this size. */
export function allocateOutput(dtype: DType, size: number): Storage {
  const bytesPerElement = BYTES_PER_ELEMENT[dtype];
  if (size * bytesPerElement < MIN_BYTES) return allocate(dtype, size);
  const list = free.get(key(bytesPerElement, size));
  const reused = list?.pop();
  if (reused === undefined) return allocate(dtype, size);
  pooledBytes -= reused.byteLength;
  // float64 and int64 share Float64Array, so any buffer of the right element size will do.
  return reused.fill(0);
}
