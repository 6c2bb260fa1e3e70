import type { MatrixOperand } from './types';

/**
 * Calls visit(t, aOffset, bOffset) for every matrix t of a batched product, in row-major order
 * over batchShape, with the offsets of that batch's A and B (batch strides of 0 broadcast).
 */
export function forEachBatch(
  batchShape: readonly number[],
  a: MatrixOperand,
  b: MatrixOperand,
  visit: (t: number, aOffset: number, bOffset: number) => void,
): void {
  let batches = 1;
  for (const s of batchShape) batches *= s;
  const counter = new Array<number>(batchShape.length).fill(0);
  let ao = a.offset;
  let bo = b.offset;
  for (let t = 0; t < batches; t++) {
    visit(t, ao, bo);
    for (let d = batchShape.length - 1; d >= 0; d--) {
      counter[d]++;
      ao += a.batchStrides[d];
      bo += b.batchStrides[d];
      if (counter[d] < batchShape[d]) break;
      ao -= a.batchStrides[d] * batchShape[d];
      bo -= b.batchStrides[d] * batchShape[d];
      counter[d] = 0;
    }
  }
}
