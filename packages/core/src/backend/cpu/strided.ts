/**
 * Walks every element of `shape` in row-major order, calling `visit` once per innermost row
 * with the starting offsets of each operand. The innermost loop stays in the caller, so per
 * element there is no index arithmetic beyond one add per operand.
 */
export function forEachRow(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  offsets: readonly number[],
  visit: (rowOffsets: number[], outIndex: number, rowLength: number, innerStrides: number[]) => void,
): void {
  const ndim = shape.length;
  const nOps = strides.length;
  const rowLength = ndim === 0 ? 1 : shape[ndim - 1];
  const inner = strides.map((s) => (ndim === 0 ? 0 : s[ndim - 1]));
  let rows = 1;
  for (let d = 0; d < ndim - 1; d++) rows *= shape[d];
  if (rowLength === 0 || rows === 0) return;
  const counter = new Array<number>(Math.max(ndim - 1, 0)).fill(0);
  const cur = offsets.slice();
  for (let r = 0; r < rows; r++) {
    visit(cur, r * rowLength, rowLength, inner);
    for (let d = ndim - 2; d >= 0; d--) {
      counter[d]++;
      for (let o = 0; o < nOps; o++) cur[o] += strides[o][d];
      if (counter[d] < shape[d]) break;
      for (let o = 0; o < nOps; o++) cur[o] -= strides[o][d] * shape[d];
      counter[d] = 0;
    }
  }
}
