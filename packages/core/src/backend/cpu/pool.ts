import type { Storage } from '../../dtype';
import type { AverageWindows, PoolWindows, WindowGeometry } from '../types';

/**
 * Max pooling over each (n, c) plane: each output takes the largest value of its window, the
 * window clipped to the input (padding holds no values), scanned row-major, as torch's kernel:
 * a value replaces the best so far if larger or NaN (so the last NaN wins), ties keep the first,
 * and a window of -infinity keeps its first element. indices gets the winner's flat h * W + w.
 */
export function maxPool2dForward(x: Storage, g: WindowGeometry, out: Storage, indices: Storage): void {
  const { batch, channels, height, width, kernelH, kernelW, padH, padW, strideH, strideW, dilationH, dilationW, outH, outW } = g;
  const plane = height * width;
  let o = 0;
  for (let p = 0; p < batch * channels; p++) {
    const base = p * plane;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * strideH - padH;
      for (let ow = 0; ow < outW; ow++, o++) {
        const w0 = ow * strideW - padW;
        let best = -Infinity;
        let at = -1;
        let first = -1;
        for (let ki = 0; ki < kernelH; ki++) {
          const h = h0 + ki * dilationH;
          if (h < 0 || h >= height) continue;
          for (let kj = 0; kj < kernelW; kj++) {
            const w = w0 + kj * dilationW;
            if (w < 0 || w >= width) continue;
            const index = h * width + w;
            if (first < 0) first = index;
            const v = x[base + index];
            if (v > best || v !== v) {
              best = v;
              at = index;
            }
          }
        }
        out[o] = best;
        indices[o] = at >= 0 ? at : first;
      }
    }
  }
}

/**
 * Adaptive max pooling over windows given by their bounds (PoolWindows), by maxPool2dForward's
 * rules: each window scanned row-major, a value replacing the best so far if larger or NaN, ties
 * keeping the first, a window of -infinity its first element; indices get h * W + w.
 */
export function adaptiveMaxPool2dForward(x: Storage, w: PoolWindows, out: Storage, indices: Storage): void {
  const { planes, height, width, outH, outW, rows, cols } = w;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * height * width;
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++, o++) {
        let best = -Infinity;
        let at = rows[2 * oh] * width + cols[2 * ow];
        for (let h = rows[2 * oh]; h < rows[2 * oh + 1]; h++) {
          for (let index = h * width + cols[2 * ow]; index < h * width + cols[2 * ow + 1]; index++) {
            const v = x[base + index];
            if (v > best || v !== v) {
              best = v;
              at = index;
            }
          }
        }
        out[o] = best;
        indices[o] = at;
      }
    }
  }
}

/**
 * Max pooling's backward, plain or adaptive: each of the `planes` images' `outputs` gradients
 * added to the element of its `inputs` that won the window.
 */
export function maxPool2dBackward(gOut: Storage, indices: Storage, planes: number, inputs: number, outputs: number, gradInput: Storage): void {
  gradInput.fill(0);
  for (let p = 0; p < planes; p++) {
    for (let o = p * outputs; o < (p + 1) * outputs; o++) gradInput[p * inputs + indices[o]] += gOut[o];
  }
}

/**
 * Walks the windows (AverageWindows) of `image`, output o's window with pooled[o]: forward, it
 * writes pooled[o] = the window's sum over its divisor; adjoint, it adds pooled[o] over the
 * divisor to every pixel of the window. One walk, so the two stay each other's adjoint.
 */
function averageWindows(adjoint: boolean, image: Storage, w: AverageWindows, pooled: Storage): void {
  const { planes, height, width, outH, outW, rows, cols, divisors } = w;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * height * width;
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++, o++) {
        const divisor = divisors[oh * outW + ow];
        const share = adjoint ? pooled[o] / divisor : 0;
        let sum = 0;
        for (let h = rows[2 * oh]; h < rows[2 * oh + 1]; h++) {
          const row = base + h * width;
          for (let c = row + cols[2 * ow]; c < row + cols[2 * ow + 1]; c++) {
            if (adjoint) image[c] += share;
            else sum += image[c];
          }
        }
        if (!adjoint) pooled[o] = sum / divisor;
      }
    }
  }
}

/** Average pooling: each output is the sum of its window (AverageWindows) over its divisor. */
export function averagePool2dForward(x: Storage, w: AverageWindows, out: Storage): void {
  averageWindows(false, x, w, out);
}

/** Average pooling's gradient: each output's gradient over its divisor, added to every input of its window. */
export function averagePool2dBackward(gOut: Storage, w: AverageWindows, gradInput: Storage): void {
  gradInput.fill(0);
  averageWindows(true, gradInput, w, gOut);
}
