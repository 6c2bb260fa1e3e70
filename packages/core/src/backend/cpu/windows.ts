import type { Storage } from '../../dtype';
import type { WindowGeometry } from '../types';

/**
 * Calls visit(col, src) for every column entry of channel row (c, ki, kj) of image n: col is its
 * offset in the (batch, C*kh*kw, outH*outW) columns, src the offset of the pixel it reads in the
 * (batch, C, H, W) image, or -1 where the window lies over the zero padding.
 */
function forEachWindowEntry(g: WindowGeometry, visit: (col: number, src: number) => void): void {
  const { batch, channels, height, width, kernelH, kernelW, padH, padW, strideH, strideW, dilationH, dilationW, outH, outW } = g;
  const spatial = outH * outW;
  const rows = channels * kernelH * kernelW;
  for (let n = 0; n < batch; n++) {
    for (let r = 0; r < rows; r++) {
      const kj = r % kernelW;
      const ki = Math.floor(r / kernelW) % kernelH;
      const c = Math.floor(r / (kernelW * kernelH));
      const image = (n * channels + c) * height * width;
      let col = (n * rows + r) * spatial;
      for (let oh = 0; oh < outH; oh++) {
        const h = oh * strideH - padH + ki * dilationH;
        const inside = h >= 0 && h < height;
        for (let ow = 0; ow < outW; ow++, col++) {
          const w = ow * strideW - padW + kj * dilationW;
          visit(col, inside && w >= 0 && w < width ? image + h * width + w : -1);
        }
      }
    }
  }
}

/** Unfolds images into columns (torch's im2col, F.unfold): zero where a window covers padding. */
export function im2col(x: Storage, g: WindowGeometry, out: Storage): void {
  forEachWindowEntry(g, (col, src) => {
    out[col] = src < 0 ? 0 : x[src];
  });
}

/** The adjoint of im2col (col2im, F.fold): adds every column entry back into the pixel it was read from. */
export function col2im(cols: Storage, g: WindowGeometry, out: Storage): void {
  out.fill(0);
  forEachWindowEntry(g, (col, src) => {
    if (src >= 0) out[src] += cols[col];
  });
}
