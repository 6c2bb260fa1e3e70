// The sliding windows of 2-D convolution and pooling (im2col and its adjoint col2im) over float32,
// with the plain kernels' loops (src/backend/cpu/windows.ts): the same entries, the same sums in
// the same order, so both give the same bits. Images are (batch, channels, height, width),
// columns (batch, channels * kh * kw, outH * outW).

/** The first output index whose input position o * stride + shift is >= 0, clamped to [0, out]. */
@inline function firstInside(out: i32, stride: i32, shift: i32): i32 {
  if (shift >= 0) return 0;
  const first = (-shift + stride - 1) / stride;
  return first < out ? first : out;
}

/** One past the last output index whose input position o * stride + shift is < size. */
@inline function endInside(size: i32, out: i32, stride: i32, shift: i32, first: i32): i32 {
  const room = size - shift;
  let end = room <= 0 ? 0 : (room + stride - 1) / stride;
  if (end > out) end = out;
  return end < first ? first : end;
}

/** Unfolds images into columns; entries whose window covers the padding are zero. */
export function im2col(
  x: usize, batch: i32, channels: i32, height: i32, width: i32, kernelH: i32, kernelW: i32,
  padH: i32, padW: i32, strideH: i32, strideW: i32, dilationH: i32, dilationW: i32, outH: i32, outW: i32, out: usize,
): void {
  const spatial = outH * outW;
  const rows = channels * kernelH * kernelW;
  for (let n = 0; n < batch; n++) {
    for (let r = 0; r < rows; r++) {
      const kj = r % kernelW;
      const ki = (r / kernelW) % kernelH;
      const c = r / (kernelW * kernelH);
      const image = x + (<usize>((n * channels + c) * height * width) << 2);
      const base = out + (<usize>((n * rows + r) * spatial) << 2);
      const shiftH = ki * dilationH - padH;
      const shiftW = kj * dilationW - padW;
      const h0 = firstInside(outH, strideH, shiftH);
      const h1 = endInside(height, outH, strideH, shiftH, h0);
      const w0 = firstInside(outW, strideW, shiftW);
      const w1 = endInside(width, outW, strideW, shiftW, w0);
      memory.fill(base, 0, <usize>(h0 * outW) << 2);
      memory.fill(base + (<usize>(h1 * outW) << 2), 0, <usize>((outH - h1) * outW) << 2);
      for (let oh = h0; oh < h1; oh++) {
        const row = base + (<usize>(oh * outW) << 2);
        memory.fill(row, 0, <usize>w0 << 2);
        memory.fill(row + (<usize>w1 << 2), 0, <usize>(outW - w1) << 2);
        const src = image + (<usize>((oh * strideH + shiftH) * width + shiftW) << 2);
        if (strideW == 1) {
          memory.copy(row + (<usize>w0 << 2), src + (<usize>w0 << 2), <usize>(w1 - w0) << 2);
        } else {
          for (let ow = w0; ow < w1; ow++) store<f32>(row + (<usize>ow << 2), load<f32>(src + (<usize>(ow * strideW) << 2)));
        }
      }
    }
  }
}

/** The adjoint of im2col: adds every column entry back into the pixel it was read from. */
export function col2im(
  cols: usize, batch: i32, channels: i32, height: i32, width: i32, kernelH: i32, kernelW: i32,
  padH: i32, padW: i32, strideH: i32, strideW: i32, dilationH: i32, dilationW: i32, outH: i32, outW: i32, out: usize,
): void {
  memory.fill(out, 0, <usize>(batch * channels * height * width) << 2);
  const spatial = outH * outW;
  const rows = channels * kernelH * kernelW;
  for (let n = 0; n < batch; n++) {
    for (let r = 0; r < rows; r++) {
      const kj = r % kernelW;
      const ki = (r / kernelW) % kernelH;
      const c = r / (kernelW * kernelH);
      const image = out + (<usize>((n * channels + c) * height * width) << 2);
      const base = cols + (<usize>((n * rows + r) * spatial) << 2);
      const shiftH = ki * dilationH - padH;
      const shiftW = kj * dilationW - padW;
      const h0 = firstInside(outH, strideH, shiftH);
      const h1 = endInside(height, outH, strideH, shiftH, h0);
      const w0 = firstInside(outW, strideW, shiftW);
      const w1 = endInside(width, outW, strideW, shiftW, w0);
      for (let oh = h0; oh < h1; oh++) {
        const row = base + (<usize>(oh * outW) << 2);
        const dst = image + (<usize>((oh * strideH + shiftH) * width + shiftW) << 2);
        for (let ow = w0; ow < w1; ow++) {
          const at = dst + (<usize>(ow * strideW) << 2);
          store<f32>(at, load<f32>(at) + load<f32>(row + (<usize>ow << 2)));
        }
      }
    }
  }
}
