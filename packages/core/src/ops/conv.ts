import { traced } from '../autograd/trace';
import { checkOptions } from '../options';
import { Context } from '../autograd/context';
import { Function } from '../autograd/function';
import { kernels, type WindowGeometry } from '../backend';
import { formatShape } from '../shape';
import type { Tensor } from '../tensor/tensor';
import { matmul } from './matmul';
import { pad } from './pad';
import { fold, pair, windowGeometry, type Size2, type Size1 } from './unfold';
import { dataOrNull, empty, gradientOutputs, requireFloat, storageOrNull } from './util';

/** Options of conv2d (conv1d takes single numbers): torch's stride, padding, dilation and groups. */
export interface ConvOptions {
  /** Step between windows (default 1). */
  stride?: Size2;
  /** Zero padding on both sides, or 'valid' (none) or 'same' (output as large as the input; stride 1 only). */
  padding?: Size2 | 'valid' | 'same';
  /** Spacing between kernel elements (default 1). */
  dilation?: Size2;
  /** Input and output channels split into this many independent groups (default 1). */
  groups?: number;
}

/** Options of convTranspose2d. */
export interface ConvTransposeOptions {
  /** Step between input pixels (default 1). */
  stride?: Size2;
  /** Removes dilation * (kernel - 1) - padding zeros of padding from each side of the output (default 0). */
  padding?: Size2;
  /** Extra size added to one side of each output dim (default 0; must be below stride or dilation). */
  outputPadding?: Size2;
  /** Input and output channels split into this many independent groups (default 1). */
  groups?: number;
  /** Spacing between kernel elements (default 1). */
  dilation?: Size2;
}

/** x as a batch and whether it came without one: conv ops take (N, C, ...) or an unbatched (C, ...). */
function batchOf(op: string, x: Tensor, spatial: number): [Tensor, boolean] {
  if (x.ndim === spatial + 1) return [x.unsqueeze(0), true];
  if (x.ndim !== spatial + 2) {
    throw new Error(`${op}: expected a ${spatial + 1}-D (unbatched) or ${spatial + 2}-D (batched) input, got shape ${formatShape(x.shape)}`);
  }
  return [x, false];
}

function checkGroups(op: string, groups: number, inChannels: number, outChannels: number): void {
  if (!Number.isInteger(groups) || groups < 1) throw new Error(`${op}: groups must be a positive integer, got ${groups}`);
  if (inChannels % groups !== 0) throw new Error(`${op}: input channels (${inChannels}) must be divisible by groups (${groups})`);
  if (outChannels % groups !== 0) throw new Error(`${op}: output channels (${outChannels}) must be divisible by groups (${groups})`);
}

function checkBias(op: string, bias: Tensor | null, channels: number): void {
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== channels)) {
    throw new Error(`${op}: bias must be a 1-D tensor of ${channels} values, got shape ${formatShape(bias.shape)}`);
  }
}

/**
 * 'same' padding: dilation * (kernel - 1) zeros per dim, split evenly, the odd one at the end
 * (as torch pads for even kernels). Returns the symmetric part and the input padded with the rest.
 */
function samePadding(x: Tensor, kernel: [number, number], dilation: [number, number]): [[number, number], Tensor] {
  const total = kernel.map((k, i) => dilation[i] * (k - 1));
  const before = total.map((t) => Math.floor(t / 2)) as [number, number];
  const extra = total.map((t, i) => t - 2 * before[i]);
  const padded = extra.some((e) => e > 0) ? pad(x, [0, extra[1], 0, extra[0]]) : x;
  return [before, padded];
}

type ConvState = { geometry: WindowGeometry; outChannels: number; groups: number };

/**
 * A convolution of `groups` groups, its bias added per output channel, as one op with kernels of
 * its own, which never hold the whole batch's unfolded columns at once: equal to the composition
 * unfold + matmul + add (conv2dReference in @wick/core/testing; conv.test.ts checks them against
 * each other).
 */
class Conv2dOp extends Function {
  static forward(ctx: Context<ConvState>, x: Tensor, weight: Tensor, bias: Tensor | null, geometry: WindowGeometry, groups: number): Tensor {
    const outChannels = weight.shape[0];
    ctx.state = { geometry, outChannels, groups };
    ctx.saveForBackward(x, weight);
    const out = empty([geometry.batch, outChannels, geometry.outH, geometry.outW], x.dtype);
    kernels().conv2dForward(x.dataSync(), weight.dataSync(), dataOrNull(bias), geometry, outChannels, groups, out.storage.data);
    return out;
  }
  // Per image and group, out = W cols + b, so dW = sum_n gOut[n] cols[n]^T, dx = col2im(W^T
  // gOut[n]) and db = gOut summed over all but the channel dim.
  static backward(ctx: Context<ConvState>, g: Tensor) {
    const [x, weight] = ctx.savedTensors;
    const { geometry, outChannels, groups } = ctx.state;
    const [gx, gw, gb] = gradientOutputs(ctx.needsInputGrad, [x.shape, weight.shape, [outChannels]], g.dtype);
    kernels().conv2dBackward(x.dataSync(), weight.dataSync(), g.dataSync(), geometry, outChannels, groups, storageOrNull(gx), storageOrNull(gw), storageOrNull(gb));
    return [gx, gw, gb, null, null];
  }
}

/**
 * 2-D convolution (cross-correlation, as torch.nn.functional.conv2d) of a (N, C, H, W) input with
 * (O, C / groups, kh, kw) weights: each image's windows unfolded into columns and multiplied by
 * the weights as a matrix, one product per group.
 */
export const conv2d = traced('conv2d', function conv2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvOptions = {}): Tensor {
  checkOptions('conv2d', options, ['stride', 'padding', 'dilation', 'groups']);
  requireFloat('conv2d', input, weight);
  const [x0, unbatched] = batchOf('conv2d', input, 2);
  if (weight.ndim !== 4) throw new Error(`conv2d: expected a 4-D weight (out, in / groups, kh, kw), got shape ${formatShape(weight.shape)}`);
  const { groups = 1, stride = 1, dilation = 1 } = options;
  const [outChannels, groupChannels, kh, kw] = weight.shape;
  checkGroups('conv2d', groups, x0.shape[1], outChannels);
  if (x0.shape[1] !== groupChannels * groups) {
    throw new Error(
      `conv2d: weight of shape ${formatShape(weight.shape)} with groups=${groups} expects ${groupChannels * groups} input channels, but the input of shape ${formatShape(input.shape)} has ${x0.shape[1]}`,
    );
  }
  checkBias('conv2d', bias, outChannels);
  if (weight.dtype !== x0.dtype || (bias !== null && bias.dtype !== x0.dtype)) {
    const dtypes = [x0, weight, ...(bias === null ? [] : [bias])].map((t) => t.dtype).join(', ');
    throw new Error(`conv2d: expected the input, weight${bias === null ? '' : ' and bias'} of one dtype (as torch), got ${dtypes}`);
  }
  const padding = options.padding ?? 0;
  let x = x0;
  let symmetric: Size2;
  if (padding === 'same') {
    if (pair('conv2d', 'stride', stride, 1).some((s) => s !== 1)) throw new Error("conv2d: padding='same' is not supported for strided convolutions");
    [symmetric, x] = samePadding(x0, [kh, kw], pair('conv2d', 'dilation', dilation, 1));
  } else symmetric = padding === 'valid' ? 0 : padding;
  const windows = { stride, dilation, padding: symmetric };
  const g = windowGeometry('conv2d', x.shape, [kh, kw], windows);
  const out = Conv2dOp.apply(x, weight, bias, g, groups);
  return unbatched ? out.squeeze(0) : out;
});


/** Options of conv1d. */
export interface Conv1dOptions {
  /** Step between windows (default 1). */
  stride?: Size1;
  /** Zero padding on both sides, or 'valid' (none) or 'same' (output as long as the input; stride 1 only). */
  padding?: Size1 | 'valid' | 'same';
  /** Spacing between kernel elements (default 1). */
  dilation?: Size1;
  /** Input and output channels split into this many independent groups (default 1). */
  groups?: number;
}

const one = (v: Size1): number => (typeof v === 'number' ? v : v[0]);

/** 1-D convolution of a (N, C, L) input with (O, C / groups, k) weights (torch.nn.functional.conv1d), as conv2d over a height of 1. */
export function conv1d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv1dOptions = {}): Tensor {
  checkOptions('conv1d', options, ['stride', 'padding', 'dilation', 'groups']);
  const [x, unbatched] = batchOf('conv1d', input, 1);
  if (weight.ndim !== 3) throw new Error(`conv1d: expected a 3-D weight (out, in / groups, k), got shape ${formatShape(weight.shape)}`);
  const { stride = 1, dilation = 1, groups = 1, padding = 0 } = options;
  const out = conv2d(x.unsqueeze(2), weight.unsqueeze(2), bias, {
    stride: [1, one(stride)],
    dilation: [1, one(dilation)],
    groups,
    padding: padding === 'same' || padding === 'valid' ? padding : [0, one(padding)],
  }).squeeze(2);
  return unbatched ? out.squeeze(0) : out;
}

/**
 * 2-D transposed convolution (torch.nn.functional.conv_transpose2d), the adjoint of conv2d: each
 * input pixel scatters its weighted kernel into the output, computed as the weights' transpose
 * times the input, folded into the output image. Weights are (C_in, C_out / groups, kh, kw).
 */
export const convTranspose2d = traced('convTranspose2d', function convTranspose2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvTransposeOptions = {}): Tensor {
  checkOptions('convTranspose2d', options, ['stride', 'padding', 'outputPadding', 'groups', 'dilation']);
  requireFloat('convTranspose2d', input, weight);
  const [x, unbatched] = batchOf('convTranspose2d', input, 2);
  if (weight.ndim !== 4) throw new Error(`convTranspose2d: expected a 4-D weight (in, out / groups, kh, kw), got shape ${formatShape(weight.shape)}`);
  const { groups = 1 } = options;
  const [inChannels, groupOut, kh, kw] = weight.shape;
  const outChannels = groupOut * groups;
  checkGroups('convTranspose2d', groups, inChannels, outChannels);
  if (x.shape[1] !== inChannels) {
    throw new Error(`convTranspose2d: weight of shape ${formatShape(weight.shape)} expects ${inChannels} input channels, but the input of shape ${formatShape(input.shape)} has ${x.shape[1]}`);
  }
  checkBias('convTranspose2d', bias, outChannels);
  const stride = pair('convTranspose2d', 'stride', options.stride ?? 1, 1);
  const padding = pair('convTranspose2d', 'padding', options.padding ?? 0, 0);
  const dilation = pair('convTranspose2d', 'dilation', options.dilation ?? 1, 1);
  const outputPadding = pair('convTranspose2d', 'outputPadding', options.outputPadding ?? 0, 0);
  outputPadding.forEach((p, i) => {
    if (p >= stride[i] && p >= dilation[i]) {
      throw new Error(`convTranspose2d: outputPadding (${p}) must be smaller than either stride (${stride[i]}) or dilation (${dilation[i]})`);
    }
  });
  const [n, , h, w] = x.shape;
  const kernel = [kh, kw];
  const size = [h, w].map((s, i) => (s - 1) * stride[i] - 2 * padding[i] + dilation[i] * (kernel[i] - 1) + outputPadding[i] + 1);
  if (size.some((s) => s < 1)) throw new Error(`convTranspose2d: the output size ${size.join('x')} is not positive for input of shape ${formatShape(input.shape)}`);
  // (G, C_in/G, C_out/G * kh * kw) weights, transposed, times (N, G, C_in/G, H * W): the columns,
  // folded into the whole image the kernels cover, from which padding crops the output's window
  // (outputPadding extends it at the end, into zeros where no kernel reaches).
  const wT = weight.reshape(groups, inChannels / groups, groupOut * kh * kw).transpose(1, 2);
  const cols = matmul(wT, x.reshape(n, groups, inChannels / groups, h * w)).reshape(n, outChannels * kh * kw, h * w);
  const whole = [h, w].map((s, i) => (s - 1) * stride[i] + dilation[i] * (kernel[i] - 1) + 1) as [number, number];
  const covered = fold(cols, whole, [kh, kw], { stride, dilation });
  let out = pad(covered, [-padding[1], size[1] + padding[1] - whole[1], -padding[0], size[0] + padding[0] - whole[0]]);
  if (bias !== null) out = out.add(bias.reshape(1, outChannels, 1, 1));
  return unbatched ? out.squeeze(0) : out;
});
