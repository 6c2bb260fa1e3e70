import type { Storage } from '../../dtype';
import type { MatrixOperand, WindowGeometry } from '../types';
import { matmul } from './matmul';
import { col2im, im2col } from './windows';

// A 2-D convolution one image and group at a time: the image's windows over the group's channels
// unfolded into a (K, L) column matrix, K = C / groups * kh * kw and L = outH * outW, and
// multiplied with the group's (O / groups, K) weights. A group's channels are contiguous, so a
// batch of N images of G groups is N * G images of one group, image b of group b % G, and so are
// the outputs. The composed conv2d (unfold + matmul) is the reference these are tested against.

/** A dense matrix operand at `offset`, read as stored or transposed. */
function operand(data: Storage, offset: number, transposed = false): MatrixOperand {
  return { data, offset, batchStrides: [], transposed };
}

/**
 * The sizes of one group's problem in a batch of `groups` groups: K, L, the images of one group
 * (N * groups), an image's and an output's element counts, and the output channels of one group
 * (the wasm kernels' too).
 */
export function convSizes(g: WindowGeometry, outChannels: number, groups: number) {
  const channels = g.channels / groups;
  const o = outChannels / groups;
  const l = g.outH * g.outW;
  return { k: channels * g.kernelH * g.kernelW, l, images: g.batch * groups, image: channels * g.height * g.width, output: o * l, o, channels };
}

/** A buffer of `n` values of the storage's type. */
function like(s: Storage, n: number): Storage {
  return s instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
}

/**
 * out[b] (O/G, L) = W[b % G] (O/G, K) @ im2col(x[b]) (K, L), plus the group's bias[o] on row o
 * when a bias is given, for every image b of one group of the (N, C, H, W) batch.
 */
export function conv2dForward(x: Storage, weight: Storage, bias: Storage | null, g: WindowGeometry, outChannels: number, groups: number, out: Storage): void {
  const { k, l, images, image, output, o, channels } = convSizes(g, outChannels, groups);
  const one = { ...g, batch: 1, channels };
  const cols = like(x, k * l);
  for (let b = 0; b < images; b++) {
    const group = b % groups;
    im2col(x.subarray(b * image, (b + 1) * image), one, cols);
    const y = out.subarray(b * output, (b + 1) * output);
    matmul(operand(weight, group * o * k), operand(cols, 0), null, y, [], o, k, l);
    if (bias !== null) {
      for (let i = 0; i < o; i++) for (let j = i * l; j < (i + 1) * l; j++) y[j] += bias[group * o + i];
    }
  }
}

/** gradWeight[G] (O/G, K) = sum over n of gOut[b] (O/G, L) @ im2col(x[b])^T (L, K) for the images b = n * G + group, summed in order. */
function weightGrad(x: Storage, gOut: Storage, g: WindowGeometry, outChannels: number, groups: number, gradWeight: Storage): void {
  const { k, l, image, output, o, channels } = convSizes(g, outChannels, groups);
  const one = { ...g, batch: 1, channels };
  const cols = like(x, k * l);
  const part = like(x, o * k);
  gradWeight.fill(0);
  for (let group = 0; group < groups; group++) {
    const acc = gradWeight.subarray(group * o * k, (group + 1) * o * k);
    for (let n = 0; n < g.batch; n++) {
      const b = n * groups + group;
      im2col(x.subarray(b * image, (b + 1) * image), one, cols);
      matmul(operand(gOut, b * output), operand(cols, 0, true), null, part, [], o, l, k);
      for (let i = 0; i < part.length; i++) acc[i] += part[i];
    }
  }
}

/** gradInput[b] = col2im(W[b % G]^T (K, O/G) @ gOut[b] (O/G, L)): each column entry's gradient added back into its pixel. */
function inputGrad(weight: Storage, gOut: Storage, g: WindowGeometry, outChannels: number, groups: number, gradInput: Storage): void {
  const { k, l, images, image, output, o, channels } = convSizes(g, outChannels, groups);
  const one = { ...g, batch: 1, channels };
  const cols = like(gOut, k * l);
  for (let b = 0; b < images; b++) {
    matmul(operand(weight, (b % groups) * o * k, true), operand(gOut, b * output), null, cols, [], k, o, l);
    col2im(cols, one, gradInput.subarray(b * image, (b + 1) * image));
  }
}

/** gradBias[o] = gOut summed over the batch and positions: each image's row sum added in turn. */
function biasGrad(gOut: Storage, images: number, channels: number, l: number, gradBias: Storage): void {
  gradBias.fill(0);
  for (let b = 0; b < images; b++) {
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      for (let j = (b * channels + c) * l, end = j + l; j < end; j++) sum += gOut[j];
      gradBias[c] += sum;
    }
  }
}

/**
 * A convolution's gradients from its output gradient, those asked for (the others null): the
 * input's (which needs the weights), the weights' (which needs the input) and the bias's.
 */
export function conv2dBackward(
  x: Storage, weight: Storage, gOut: Storage, g: WindowGeometry, outChannels: number, groups: number,
  gradInput: Storage | null, gradWeight: Storage | null, gradBias: Storage | null,
): void {
  if (gradInput !== null) inputGrad(weight, gOut, g, outChannels, groups, gradInput);
  if (gradWeight !== null) weightGrad(x, gOut, g, outChannels, groups, gradWeight);
  if (gradBias !== null) biasGrad(gOut, g.batch, outChannels, g.outH * g.outW, gradBias);
}
