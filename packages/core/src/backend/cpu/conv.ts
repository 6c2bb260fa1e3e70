import type { Storage } from '../../dtype';
import type { MatrixOperand, WindowGeometry } from '../types';
import { matmul } from './matmul';
import { col2im, im2col } from './windows';

// A 2-D convolution (groups = 1) one image at a time: the image's windows unfolded into a
// (K, L) column matrix, K = C * kh * kw and L = outH * outW, and multiplied with the (O, K)
// weights. The composed conv2d (unfold + matmul) is the reference these are tested against.

/** A dense matrix operand at `offset`, read as stored or transposed. */
function operand(data: Storage, offset: number, transposed = false): MatrixOperand {
  return { data, offset, batchStrides: [], transposed };
}

/** The sizes of one image's problem: K, L, an image's and an output's element counts (the wasm kernels' too). */
export function convSizes(g: WindowGeometry, outChannels: number): { k: number; l: number; image: number; output: number } {
  const k = g.channels * g.kernelH * g.kernelW;
  const l = g.outH * g.outW;
  return { k, l, image: g.channels * g.height * g.width, output: outChannels * l };
}

/** A buffer of `n` values of the storage's type. */
function like(s: Storage, n: number): Storage {
  return s instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
}

/**
 * out[n] (O, L) = W (O, K) @ im2col(x[n]) (K, L), plus bias[o] on row o when a bias is given, for
 * every image n of the (N, C, H, W) batch.
 */
export function conv2dForward(x: Storage, weight: Storage, bias: Storage | null, g: WindowGeometry, outChannels: number, out: Storage): void {
  const { k, l, image, output } = convSizes(g, outChannels);
  const one = { ...g, batch: 1 };
  const cols = like(x, k * l);
  for (let n = 0; n < g.batch; n++) {
    im2col(x.subarray(n * image, (n + 1) * image), one, cols);
    const y = out.subarray(n * output, (n + 1) * output);
    matmul(operand(weight, 0), operand(cols, 0), null, y, [], outChannels, k, l);
    if (bias !== null) {
      for (let o = 0; o < outChannels; o++) for (let j = o * l; j < (o + 1) * l; j++) y[j] += bias[o];
    }
  }
}

/** gradWeight (O, K) = sum over n of gOut[n] (O, L) @ im2col(x[n])^T (L, K), the images summed in order. */
export function conv2dWeightGrad(x: Storage, gOut: Storage, g: WindowGeometry, outChannels: number, gradWeight: Storage): void {
  const { k, l, image, output } = convSizes(g, outChannels);
  const one = { ...g, batch: 1 };
  const cols = like(x, k * l);
  const part = like(x, outChannels * k);
  gradWeight.fill(0);
  for (let n = 0; n < g.batch; n++) {
    im2col(x.subarray(n * image, (n + 1) * image), one, cols);
    matmul(operand(gOut, n * output), operand(cols, 0, true), null, part, [], outChannels, l, k);
    for (let i = 0; i < part.length; i++) gradWeight[i] += part[i];
  }
}

/** gradInput[n] = col2im(W^T (K, O) @ gOut[n] (O, L)): each column entry's gradient added back into its pixel. */
export function conv2dInputGrad(weight: Storage, gOut: Storage, g: WindowGeometry, outChannels: number, gradInput: Storage): void {
  const { k, l, image, output } = convSizes(g, outChannels);
  const one = { ...g, batch: 1 };
  const cols = like(gOut, k * l);
  for (let n = 0; n < g.batch; n++) {
    matmul(operand(weight, 0, true), operand(gOut, n * output), null, cols, [], k, outChannels, l);
    col2im(cols, one, gradInput.subarray(n * image, (n + 1) * image));
  }
}
