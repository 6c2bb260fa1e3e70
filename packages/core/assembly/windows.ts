// The sliding windows of 2-D convolution and pooling (im2col and its adjoint col2im) over float32,
// a batch at a time, image by image (imageWindows.ts). Images are (batch, channels, height,
// width), columns (batch, channels * kh * kw, outH * outW).
import { foldImage, unfoldRows } from './imageWindows';

/** Unfolds images into columns; entries whose window covers the padding are zero. */
export function im2col(
  x: usize, batch: i32, channels: i32, height: i32, width: i32, kernelH: i32, kernelW: i32,
  padH: i32, padW: i32, strideH: i32, strideW: i32, dilationH: i32, dilationW: i32, outH: i32, outW: i32, out: usize,
): void {
  const rows = channels * kernelH * kernelW;
  const image = <usize>(channels * height * width) << 2;
  const columns = <usize>(rows * outH * outW) << 2;
  for (let n = 0; n < batch; n++) {
    unfoldRows(x + <usize>n * image, height, width, kernelH, kernelW, padH, padW, strideH, strideW, dilationH, dilationW, outH, outW, 0, rows, out + <usize>n * columns);
  }
}

/** The adjoint of im2col: adds every column entry back into the pixel it was read from. */
export function col2im(
  cols: usize, batch: i32, channels: i32, height: i32, width: i32, kernelH: i32, kernelW: i32,
  padH: i32, padW: i32, strideH: i32, strideW: i32, dilationH: i32, dilationW: i32, outH: i32, outW: i32, out: usize,
): void {
  memory.fill(out, 0, <usize>(batch * channels * height * width) << 2);
  const image = <usize>(channels * height * width) << 2;
  const columns = <usize>(channels * kernelH * kernelW * outH * outW) << 2;
  for (let n = 0; n < batch; n++) {
    foldImage(cols + <usize>n * columns, channels, height, width, kernelH, kernelW, padH, padW, strideH, strideW, dilationH, dilationW, outH, outW, out + <usize>n * image);
  }
}
