import type { Storage } from '../../dtype';
import type { WindowGeometry } from '../types';

/**
 * The outputs o of one kernel offset whose input position o * stride - pad + k * dilation lies
 * inside [0, size): the range [first, end). Outside it the window reads the zero padding.
 */
function inside(size: number, out: number, stride: number, pad: number, offset: number): [number, number] {
  // o * stride + shift >= 0 and < size, with shift = offset - pad.
  const shift = offset - pad;
  const first = Math.min(out, Math.max(0, Math.ceil(-shift / stride)));
  const end = Math.max(first, Math.min(out, Math.ceil((size - shift) / stride)));
  return [first, end];
}

/**
 * Calls row(col, src, colStep, srcStep, count) for every run of column entries of image n's
 * channel row (c, ki, kj) that read pixels (count entries from col, reading from src, src moving
 * by srcStep): the entries outside the runs read the zero padding. col indexes the
 * (batch, C*kh*kw, outH*outW) columns, src the (batch, C, H, W) image.
 */
function forEachRun(g: WindowGeometry, run: (col: number, src: number, srcStep: number, count: number) => void, pad: (col: number, count: number) => void): void {
  const { batch, channels, height, width, kernelH, kernelW, padH, padW, strideH, strideW, dilationH, dilationW, outH, outW } = g;
  const spatial = outH * outW;
  const rows = channels * kernelH * kernelW;
  for (let n = 0; n < batch; n++) {
    for (let r = 0; r < rows; r++) {
      const kj = r % kernelW;
      const ki = Math.floor(r / kernelW) % kernelH;
      const c = Math.floor(r / (kernelW * kernelH));
      const image = (n * channels + c) * height * width;
      const base = (n * rows + r) * spatial;
      const [h0, h1] = inside(height, outH, strideH, padH, ki * dilationH);
      const [w0, w1] = inside(width, outW, strideW, padW, kj * dilationW);
      if (h0 > 0) pad(base, h0 * outW);
      if (h1 < outH) pad(base + h1 * outW, (outH - h1) * outW);
      for (let oh = h0; oh < h1; oh++) {
        const col = base + oh * outW;
        if (w0 > 0) pad(col, w0);
        if (w1 < outW) pad(col + w1, outW - w1);
        const h = oh * strideH - padH + ki * dilationH;
        if (w1 > w0) run(col + w0, image + h * width + w0 * strideW - padW + kj * dilationW, strideW, w1 - w0);
      }
    }
  }
}

/** Unfolds images into columns (torch's im2col, F.unfold): zero where a window covers padding. */
export function im2col(x: Storage, g: WindowGeometry, out: Storage): void {
  forEachRun(
    g,
    (col, src, step, count) => {
      for (let i = 0; i < count; i++, src += step) out[col + i] = x[src];
    },
    (col, count) => out.fill(0, col, col + count),
  );
}

/** The adjoint of im2col (col2im, F.fold): adds every column entry back into the pixel it was read from. */
export function col2im(cols: Storage, g: WindowGeometry, out: Storage): void {
  out.fill(0);
  forEachRun(
    g,
    (col, src, step, count) => {
      for (let i = 0; i < count; i++, src += step) out[src] += cols[col + i];
    },
    () => undefined,
  );
}
