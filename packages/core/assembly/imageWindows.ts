// One image's sliding windows (the rows of its im2col columns, and their adjoint), for windows.ts
// (a batch at a time) and conv.ts (an image at a time). Not exported from the module: the loops
// of the plain kernels (src/backend/cpu/windows.ts), the same entries and the same sums in the
// same order, so every caller gives the same bits as they do. Row r of the columns is
// (channel, ki, kj) = (r / (kh * kw), (r / kw) % kh, r % kw).

/** The first output index whose input position o * stride + shift is >= 0, clamped to [0, out]. */
@inline export function firstInside(out: i32, stride: i32, shift: i32): i32 {
  if (shift >= 0) return 0;
  const first = (-shift + stride - 1) / stride;
  return first < out ? first : out;
}

/** One past the last output index whose input position o * stride + shift is < size. */
@inline export function endInside(size: i32, out: i32, stride: i32, shift: i32, first: i32): i32 {
  const room = size - shift;
  let end = room <= 0 ? 0 : (room + stride - 1) / stride;
  if (end > out) end = out;
  return end < first ? first : end;
}

/**
 * Walks rows [r0, r1) of the columns of the image at `image` (channels x height x width), each
 * outH * outW floats, row r at cols + r * outH * outW floats. Forward, it writes those rows
 * (entries whose window covers the padding are zero); adjoint, it adds every entry of those rows
 * into the pixel it was read from. One walk, so the two stay each other's adjoint.
 */
@inline function windowRows(
  adjoint: bool, image: usize, height: i32, width: i32, kernelH: i32, kernelW: i32,
  padH: i32, padW: i32, strideH: i32, strideW: i32, dilationH: i32, dilationW: i32, outH: i32, outW: i32,
  r0: i32, r1: i32, cols: usize,
): void {
  const spatial = outH * outW;
  for (let r = r0; r < r1; r++) {
    const kj = r % kernelW;
    const ki = (r / kernelW) % kernelH;
    const c = r / (kernelW * kernelH);
    const plane = image + (<usize>(c * height * width) << 2);
    const base = cols + (<usize>(r * spatial) << 2);
    const shiftH = ki * dilationH - padH;
    const shiftW = kj * dilationW - padW;
    const h0 = firstInside(outH, strideH, shiftH);
    const h1 = endInside(height, outH, strideH, shiftH, h0);
    const w0 = firstInside(outW, strideW, shiftW);
    const w1 = endInside(width, outW, strideW, shiftW, w0);
    if (!adjoint) {
      zeroFloats(base, h0 * outW);
      zeroFloats(base + (<usize>(h1 * outW) << 2), (outH - h1) * outW);
    }
    for (let oh = h0; oh < h1; oh++) {
      const row = base + (<usize>(oh * outW) << 2);
      const pixels = plane + (<usize>((oh * strideH + shiftH) * width + shiftW) << 2);
      if (adjoint) addRow(row, pixels, w0, w1, strideW);
      else copyRow(row, pixels, w0, w1, strideW, outW);
    }
  }
}

// Rows are short (an output row: tens of floats), so they are copied and zeroed by inline loops:
// memory.copy and memory.fill are calls out of the module in V8, costlier than such a row.

/** Sets `count` floats from `at` to zero. */
@inline function zeroFloats(at: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) v128.store(at + (<usize>i << 2), i32x4.splat(0));
  for (; i < count; i++) store<f32>(at + (<usize>i << 2), 0);
}

/** Entries [w0, w1) of a column row from the pixels they read (step strideW); the rest of the row zero. */
@inline function copyRow(row: usize, pixels: usize, w0: i32, w1: i32, strideW: i32, outW: i32): void {
  zeroFloats(row, w0);
  zeroFloats(row + (<usize>w1 << 2), outW - w1);
  let ow = w0;
  if (strideW == 1) {
    for (; ow + 4 <= w1; ow += 4) v128.store(row + (<usize>ow << 2), v128.load(pixels + (<usize>ow << 2)));
  }
  for (; ow < w1; ow++) store<f32>(row + (<usize>ow << 2), load<f32>(pixels + (<usize>(ow * strideW) << 2)));
}

/** Adds entries [w0, w1) of a column row into the pixels they were read from (step strideW). */
@inline function addRow(row: usize, pixels: usize, w0: i32, w1: i32, strideW: i32): void {
  let ow = w0;
  // With unit stride the pixels are adjacent: four at a time (each its own sum).
  if (strideW == 1) {
    for (; ow + 4 <= w1; ow += 4) {
      const at = pixels + (<usize>ow << 2);
      v128.store(at, f32x4.add(v128.load(at), v128.load(row + (<usize>ow << 2))));
    }
  }
  for (; ow < w1; ow++) {
    const at = pixels + (<usize>(ow * strideW) << 2);
    store<f32>(at, load<f32>(at) + load<f32>(row + (<usize>ow << 2)));
  }
}

/** Rows [r0, r1) of the columns of the image at `image`; entries whose window covers the padding are zero. */
export function unfoldRows(
  image: usize, height: i32, width: i32, kernelH: i32, kernelW: i32,
  padH: i32, padW: i32, strideH: i32, strideW: i32, dilationH: i32, dilationW: i32, outH: i32, outW: i32,
  r0: i32, r1: i32, cols: usize,
): void {
  windowRows(false, image, height, width, kernelH, kernelW, padH, padW, strideH, strideW, dilationH, dilationW, outH, outW, r0, r1, cols);
}

/** The adjoint of unfoldRows over all rows: adds every column entry into the pixel it was read from. */
export function foldImage(
  cols: usize, channels: i32, height: i32, width: i32, kernelH: i32, kernelW: i32,
  padH: i32, padW: i32, strideH: i32, strideW: i32, dilationH: i32, dilationW: i32, outH: i32, outW: i32, image: usize,
): void {
  windowRows(true, image, height, width, kernelH, kernelW, padH, padW, strideH, strideW, dilationH, dilationW, outH, outW, 0, channels * kernelH * kernelW, cols);
}
