import { traced } from '../autograd/trace';
import { checkOptions } from '../options';
import { Context } from '../autograd/context';
import { Function } from '../autograd/function';
import { kernels, type AverageWindows, type PoolWindows, type WindowGeometry } from '../backend';
import { formatShape, numelOf } from '../shape';
import type { Tensor } from '../tensor/tensor';
import { pair, type Size2, type Size1 } from './unfold';
import { empty, requireFloat } from './util';

// Max and average pooling, plain and adaptive, are ops with kernels of their own. Windows follow
// torch's pooling_output_shape, ceilMode included, and its adaptive windows.

/** Options of maxPool2d. */
export interface MaxPoolOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size2 | null;
  /** Implicit -infinity padding on both sides, at most half the kernel (default 0). */
  padding?: Size2;
  /** Spacing between kernel elements (default 1). */
  dilation?: Size2;
  /** Round the output size up, keeping windows that start inside the input or left padding (default false). */
  ceilMode?: boolean;
}

/** Options of avgPool2d. */
export interface AvgPoolOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size2 | null;
  /** Implicit zero padding on both sides, at most half the kernel (default 0). */
  padding?: Size2;
  /** Round the output size up, keeping windows that start inside the input or left padding (default false). */
  ceilMode?: boolean;
  /** Count the zero padding in each window's average (default true). */
  countIncludePad?: boolean;
  /** Divide every window's sum by this instead of its size. */
  divisorOverride?: number | null;
}

/** The geometry of one spatial dim of a pooling. */
interface Dim {
  size: number;
  kernel: number;
  stride: number;
  pad: number;
  dilation: number;
  out: number;
}

/** torch's pooling_output_shape for one dim, with its checks. */
function poolDim(op: string, size: number, kernel: number, stride: number, padding: number, dilation: number, ceilMode: boolean): Dim {
  if (padding > kernel / 2) {
    throw new Error(`${op}: pad should be smaller than or equal to half of kernel size, but got pad = ${padding}, kernel = ${kernel}`);
  }
  const span = dilation * (kernel - 1) + 1;
  let out = Math.floor((size + 2 * padding - span + (ceilMode ? stride - 1 : 0)) / stride) + 1;
  // The last window must start inside the input or its left padding.
  if (ceilMode && (out - 1) * stride >= size + padding) out--;
  if (out < 1) {
    throw new Error(`${op}: the kernel ${kernel} (dilation ${dilation}) is larger than the padded input ${size + 2 * padding}: output size ${out} is too small`);
  }
  return { size, kernel, stride, pad: padding, dilation, out };
}

/** (N, C, H, W) or (C, H, W) input with its pooling geometry along H and W. */
function geometry(op: string, input: Tensor, kernelSize: Size2, options: MaxPoolOptions): [Tensor, Dim, Dim] {
  requireFloat(op, input);
  if (input.ndim !== 3 && input.ndim !== 4) throw new Error(`${op}: expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got shape ${formatShape(input.shape)}`);
  const x = input.ndim === 3 ? input.unsqueeze(0) : input;
  const kernel = pair(op, 'kernelSize', kernelSize, 1);
  const stride = pair(op, 'stride', options.stride ?? kernelSize, 1);
  const padding = pair(op, 'padding', options.padding ?? 0, 0);
  const dilation = pair(op, 'dilation', options.dilation ?? 1, 1);
  const ceil = options.ceilMode ?? false;
  return [x, poolDim(op, x.shape[2], kernel[0], stride[0], padding[0], dilation[0], ceil), poolDim(op, x.shape[3], kernel[1], stride[1], padding[1], dilation[1], ceil)];
}

type MaxPoolState = { planes: number; inputs: number; outputs: number; inputShape: readonly number[] };

/**
 * Max pooling as one op with kernels of its own, over a convolution's windows (maxPool2d) or
 * adaptive ones (adaptiveMaxPool2d): the values and the winners' indices forward, each output's
 * gradient added to its winner backward. Equal to the compositions pad(-infinity) + unfold + max
 * and narrow + max (conv.test.ts checks them against each other).
 */
class MaxPool2dOp extends Function {
  static forward(ctx: Context<MaxPoolState>, x: Tensor, windows: WindowGeometry | PoolWindows): [Tensor, Tensor] {
    const { height, width, outH, outW } = windows;
    const out = empty([...x.shape.slice(0, -2), outH, outW], x.dtype);
    const indices = empty(out.shape, 'int64');
    if ('kernelH' in windows) kernels().maxPool2dForward(x.dataSync(), windows, out.storage.data, indices.storage.data);
    else kernels().adaptiveMaxPool2dForward(x.dataSync(), windows, out.storage.data, indices.storage.data);
    ctx.state = { planes: numelOf(x.shape.slice(0, -2)), inputs: height * width, outputs: outH * outW, inputShape: x.shape };
    ctx.saveForBackward(indices);
    ctx.markNonDifferentiable(indices);
    return [out, indices];
  }
  static backward(ctx: Context<MaxPoolState>, g: Tensor) {
    const [indices] = ctx.savedTensors;
    const { planes, inputs, outputs, inputShape } = ctx.state;
    const gx = empty(inputShape, g.dtype);
    kernels().maxPool2dBackward(g.dataSync(), indices.dataSync(), planes, inputs, outputs, gx.storage.data);
    return [gx, null];
  }
}

/** maxPool2d's two forms: the pooled values, or with returnIndices also where each came from. */
export interface MaxPool2dOverloads {
  (input: Tensor, kernelSize: Size2, options?: MaxPoolOptions & { returnIndices?: false }): Tensor;
  /** With returnIndices, also each maximum's flat index into its channel's H * W input. */
  (input: Tensor, kernelSize: Size2, options: MaxPoolOptions & { returnIndices: true }): [Tensor, Tensor];
}

/**
 * 2-D max pooling (torch.nn.functional.max_pool2d): the largest value of each window, scanned
 * row-major as torch's kernel (a NaN wins; on ties the first, which receives the gradient).
 */
export const maxPool2d = traced('maxPool2d', function maxPool2d(
  input: Tensor,
  kernelSize: Size2,
  options: MaxPoolOptions & { returnIndices?: boolean } = {},
): Tensor | [Tensor, Tensor] {
  checkOptions('maxPool2d', options, ['stride', 'padding', 'dilation', 'ceilMode', 'returnIndices']);
  const [x, h, w] = geometry('maxPool2d', input, kernelSize, options);
  const [n, c] = x.shape;
  const g: WindowGeometry = {
    batch: n, channels: c, height: h.size, width: w.size, kernelH: h.kernel, kernelW: w.kernel, padH: h.pad, padW: w.pad,
    strideH: h.stride, strideW: w.stride, dilationH: h.dilation, dilationW: w.dilation, outH: h.out, outW: w.out,
  };
  const [values, indices] = MaxPool2dOp.apply(x, g);
  const shape = input.ndim === 3 ? [c, h.out, w.out] : [n, c, h.out, w.out];
  return options.returnIndices === true ? [values.reshape(shape), indices.reshape(shape)] : values.reshape(shape);
}) as MaxPool2dOverloads;

/**
 * Average pooling as one op with kernels of its own: each window's sum over its divisor forward,
 * each output's gradient spread evenly over its window backward, for average and adaptive
 * average pooling alike. Equal to their compositions (testing/reference.ts; conv.test.ts checks
 * them against each other).
 */
class AveragePool2dOp extends Function {
  static forward(ctx: Context<AverageWindows>, x: Tensor, windows: AverageWindows): Tensor {
    const out = empty([...x.shape.slice(0, -2), windows.outH, windows.outW], x.dtype);
    kernels().averagePool2dForward(x.dataSync(), windows, out.storage.data);
    ctx.state = windows;
    return out;
  }
  static backward(ctx: Context<AverageWindows>, g: Tensor) {
    const windows = ctx.state;
    const gx = empty([...g.shape.slice(0, -2), windows.height, windows.width], g.dtype);
    kernels().averagePool2dBackward(g.dataSync(), windows, gx.storage.data);
    return [gx, null];
  }
}

/** The windows over a (..., H, W) input whose output rows and columns span the given bounds. */
function poolWindows(x: Tensor, rows: number[], cols: number[]): PoolWindows {
  const [height, width] = x.shape.slice(-2);
  return { planes: numelOf(x.shape.slice(0, -2)), height, width, outH: rows.length / 2, outW: cols.length / 2, rows, cols };
}

/** The same windows with a divisor per position. */
function averageWindows(x: Tensor, rows: number[], cols: number[], divisor: (oh: number, ow: number) => number): AverageWindows {
  const windows = poolWindows(x, rows, cols);
  const divisors = Array.from({ length: windows.outH * windows.outW }, (_, i) => divisor(Math.floor(i / windows.outW), i % windows.outW));
  return { ...windows, divisors };
}

/**
 * One dim's average-pooling windows, torch's way: each window clipped to the padded input gives
 * the extent counted with countIncludePad, then clipped to the input the values summed.
 */
function averageBounds(d: Dim, countIncludePad: boolean): [number[], number[]] {
  const bounds: number[] = [];
  const extents: number[] = [];
  for (let o = 0; o < d.out; o++) {
    const start = o * d.stride - d.pad;
    const end = Math.min(start + d.kernel, d.size + d.pad);
    const [first, last] = [Math.max(start, 0), Math.min(end, d.size)];
    bounds.push(first, last);
    extents.push(countIncludePad ? end - start : last - first);
  }
  return [bounds, extents];
}

/**
 * 2-D average pooling (torch.nn.functional.avg_pool2d): each window's sum divided by its size,
 * the padding counted or not (countIncludePad), or by divisorOverride.
 */
export const avgPool2d = traced('avgPool2d', function avgPool2d(input: Tensor, kernelSize: Size2, options: AvgPoolOptions = {}): Tensor {
  checkOptions('avgPool2d', options, ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride']);
  const [, h, w] = geometry('avgPool2d', input, kernelSize, options);
  const { countIncludePad = true, divisorOverride = null } = options;
  if (divisorOverride !== null && (!Number.isFinite(divisorOverride) || divisorOverride === 0)) {
    throw new Error(`avgPool2d: divisorOverride must be a non-zero number, got ${divisorOverride}`);
  }
  const [rows, heights] = averageBounds(h, countIncludePad);
  const [cols, widths] = averageBounds(w, countIncludePad);
  return AveragePool2dOp.apply(input, averageWindows(input, rows, cols, (oh, ow) => divisorOverride ?? heights[oh] * widths[ow]));
});

/** Output sizes of an adaptive pooling: a size per dim, or null to keep the input's. */
export type AdaptiveSize = number | readonly [number | null, number | null];

/** torch's adaptive windows along one dim, [floor(i * size / out), ceil((i + 1) * size / out)) for each output i, in turn. */
function adaptiveBounds(size: number, out: number): number[] {
  return Array.from({ length: out }, (_, i) => [Math.floor((i * size) / out), Math.ceil(((i + 1) * size) / out)]).flat();
}

/** The output sizes of an adaptive 2-D pooling, null keeping the input's, checked. */
function adaptiveSizes(op: string, input: Tensor, outputSize: AdaptiveSize): [number, number] {
  requireFloat(op, input);
  if (input.ndim !== 3 && input.ndim !== 4) {
    throw new Error(`${op}: expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got shape ${formatShape(input.shape)}`);
  }
  const [oh, ow] = typeof outputSize === 'number' ? [outputSize, outputSize] : outputSize;
  const sizes: [number, number] = [oh ?? input.shape[input.ndim - 2], ow ?? input.shape[input.ndim - 1]];
  if (!sizes.every((s) => Number.isInteger(s) && s >= 1)) {
    throw new Error(`${op}: outputSize must be positive integers (or null), got ${JSON.stringify(outputSize)}`);
  }
  return sizes;
}

/**
 * 2-D adaptive average pooling (torch.nn.functional.adaptive_avg_pool2d): an output of the given
 * size whose windows, which may overlap, tile the input evenly. The mean over a window is the
 * mean over its rows of the mean over its columns, so it is computed one dim at a time.
 */
export const adaptiveAvgPool2d = traced('adaptiveAvgPool2d', function adaptiveAvgPool2d(input: Tensor, outputSize: AdaptiveSize): Tensor {
  const [oh, ow] = adaptiveSizes('adaptiveAvgPool2d', input, outputSize);
  const [height, width] = input.shape.slice(-2);
  const rows = adaptiveBounds(height, oh);
  const cols = adaptiveBounds(width, ow);
  return AveragePool2dOp.apply(input, averageWindows(input, rows, cols, (i, j) => (rows[2 * i + 1] - rows[2 * i]) * (cols[2 * j + 1] - cols[2 * j])));
});

/** adaptiveMaxPool2d's two forms: the pooled values, or with returnIndices also where each came from. */
export interface AdaptiveMaxPool2dOverloads {
  (input: Tensor, outputSize: AdaptiveSize, options?: { returnIndices?: false }): Tensor;
  /** With returnIndices, also each maximum's flat index into its channel's H * W input. */
  (input: Tensor, outputSize: AdaptiveSize, options: { returnIndices: true }): [Tensor, Tensor];
}

/**
 * 2-D adaptive max pooling (torch.nn.functional.adaptive_max_pool2d): the maximum of each
 * adaptive window, which may overlap, scanned row-major as torch's kernel (a NaN wins; on ties
 * the first, which receives the gradient).
 */
export const adaptiveMaxPool2d = traced('adaptiveMaxPool2d', function adaptiveMaxPool2d(
  input: Tensor,
  outputSize: AdaptiveSize,
  options: { returnIndices?: boolean } = {},
): Tensor | [Tensor, Tensor] {
  checkOptions('adaptiveMaxPool2d', options, ['returnIndices']);
  const [oh, ow] = adaptiveSizes('adaptiveMaxPool2d', input, outputSize);
  const [height, width] = input.shape.slice(-2);
  const [values, indices] = MaxPool2dOp.apply(input, poolWindows(input, adaptiveBounds(height, oh), adaptiveBounds(width, ow)));
  return options.returnIndices === true ? [values, indices] : values;
}) as AdaptiveMaxPool2dOverloads;

const one = (v: Size1): number => (typeof v === 'number' ? v : v[0]);

/** A (N, C, L) or (C, L) input as a height-1 image, pooled by `pool2d`, and back. */
function as1d(op: string, input: Tensor, pool2d: (x: Tensor) => Tensor): Tensor {
  if (input.ndim !== 2 && input.ndim !== 3) throw new Error(`${op}: expected a 2-D (C, L) or 3-D (N, C, L) input, got shape ${formatShape(input.shape)}`);
  return pool2d(input.unsqueeze(-2)).squeeze(-2);
}

/** Options of maxPool1d and MaxPool1d. */
export interface MaxPool1dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size1 | null;
  /** Implicit -infinity padding on both sides, at most half the kernel (default 0). */
  padding?: Size1;
  /** Spacing between kernel elements (default 1). */
  dilation?: Size1;
  /** Round the output length up, keeping windows that start inside the input or left padding (default false). */
  ceilMode?: boolean;
}

/** Options of avgPool1d and AvgPool1d. */
export interface AvgPool1dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size1 | null;
  /** Implicit zero padding on both sides, at most half the kernel (default 0). */
  padding?: Size1;
  /** Round the output length up (default false). */
  ceilMode?: boolean;
  /** Count the zero padding in each window's average (default true). */
  countIncludePad?: boolean;
}

/** 1-D max pooling (torch.nn.functional.max_pool1d). */
export function maxPool1d(
  input: Tensor,
  kernelSize: Size1,
  options: MaxPool1dOptions = {},
): Tensor {
  checkOptions('maxPool1d', options, ['stride', 'padding', 'dilation', 'ceilMode']);
  const { stride, padding = 0, dilation = 1, ceilMode = false } = options;
  return as1d('maxPool1d', input, (x) =>
    maxPool2d(x, [1, one(kernelSize)], {
      stride: [1, one(stride ?? kernelSize)], padding: [0, one(padding)], dilation: [1, one(dilation)], ceilMode,
    }),
  );
}

/** 1-D average pooling (torch.nn.functional.avg_pool1d). */
export function avgPool1d(
  input: Tensor,
  kernelSize: Size1,
  options: AvgPool1dOptions = {},
): Tensor {
  checkOptions('avgPool1d', options, ['stride', 'padding', 'ceilMode', 'countIncludePad']);
  const { stride, padding = 0, ceilMode = false, countIncludePad = true } = options;
  return as1d('avgPool1d', input, (x) =>
    avgPool2d(x, [1, one(kernelSize)], { stride: [1, one(stride ?? kernelSize)], padding: [0, one(padding)], ceilMode, countIncludePad }),
  );
}

/** 1-D adaptive average pooling (torch.nn.functional.adaptive_avg_pool1d). */
export function adaptiveAvgPool1d(input: Tensor, outputSize: Size1): Tensor {
  return as1d('adaptiveAvgPool1d', input, (x) => adaptiveAvgPool2d(x, [1, one(outputSize)]));
}
