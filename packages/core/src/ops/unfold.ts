import { traced } from '../autograd/trace';
import { checkOptions } from '../options';
import { Context } from '../autograd/context';
import { Function } from '../autograd/function';
import { kernels, type WindowGeometry } from '../backend';
import { formatShape } from '../shape';
import type { Tensor } from '../tensor/tensor';
import { empty, requireFloat } from './util';

/** A size per spatial dim, or one number for all of them, as torch's `_pair`. */
export type Size2 = number | readonly [number, number];

/** A size of a 1-D op: a number or a one-element tuple, as torch's 1-D ops take them. */
export type Size1 = number | readonly [number];

/** Options of unfold and fold: torch's dilation, padding and stride. */
export interface WindowOptions {
  /** Spacing between kernel elements (default 1). */
  dilation?: Size2;
  /** Zero padding on both sides of each spatial dim (default 0). */
  padding?: Size2;
  /** Step between windows (default 1). */
  stride?: Size2;
}

/** `value` as a pair of integers at least `min`, or a clear error naming the op and option. */
export function pair(op: string, name: string, value: Size2, min: number): [number, number] {
  const p: [number, number] = typeof value === 'number' ? [value, value] : [value[0], value[1]];
  if (p.length !== 2 || !p.every((v) => Number.isInteger(v) && v >= min)) {
    throw new Error(`${op}: ${name} must be an integer >= ${min} or a pair of them, got ${JSON.stringify(value)}`);
  }
  return p;
}

/** The windows of a (N, C, H, W) image for a kernel and the options, with their output size. */
export function windowGeometry(op: string, shape: readonly number[], kernelSize: Size2, options: WindowOptions): WindowGeometry {
  const [kernelH, kernelW] = pair(op, 'kernelSize', kernelSize, 1);
  const [dilationH, dilationW] = pair(op, 'dilation', options.dilation ?? 1, 1);
  const [padH, padW] = pair(op, 'padding', options.padding ?? 0, 0);
  const [strideH, strideW] = pair(op, 'stride', options.stride ?? 1, 1);
  const [batch, channels, height, width] = shape;
  const outH = Math.floor((height + 2 * padH - dilationH * (kernelH - 1) - 1) / strideH) + 1;
  const outW = Math.floor((width + 2 * padW - dilationW * (kernelW - 1) - 1) / strideW) + 1;
  if (outH < 1 || outW < 1) {
    throw new Error(
      `${op}: the kernel ${kernelH}x${kernelW} (dilation ${dilationH}x${dilationW}) is larger than the padded input ` +
        `${height + 2 * padH}x${width + 2 * padW} of shape ${formatShape(shape)} with padding ${padH}x${padW}`,
    );
  }
  return { batch, channels, height, width, kernelH, kernelW, padH, padW, strideH, strideW, dilationH, dilationW, outH, outW };
}

class Unfold extends Function {
  static forward(ctx: Context<WindowGeometry>, x: Tensor, g: WindowGeometry): Tensor {
    ctx.state = g;
    const out = empty([g.batch, g.channels * g.kernelH * g.kernelW, g.outH * g.outW], x.dtype);
    kernels().im2col(x.dataSync(), g, out.storage.data);
    return out;
  }
  // Each column entry is one pixel read (or zero padding): the adjoint adds it back (col2im).
  static backward(ctx: Context<WindowGeometry>, g: Tensor) {
    const geometry = ctx.state;
    const gx = empty([geometry.batch, geometry.channels, geometry.height, geometry.width], g.dtype);
    kernels().col2im(g.dataSync(), geometry, gx.storage.data);
    return [gx, null];
  }
}

class Fold extends Function {
  static forward(ctx: Context<WindowGeometry>, cols: Tensor, g: WindowGeometry): Tensor {
    ctx.state = g;
    const out = empty([g.batch, g.channels, g.height, g.width], cols.dtype);
    kernels().col2im(cols.dataSync(), g, out.storage.data);
    return out;
  }
  // fold sums column entries into pixels; its adjoint reads each pixel back into them (im2col).
  static backward(ctx: Context<WindowGeometry>, g: Tensor) {
    const geometry = ctx.state;
    const gc = empty([geometry.batch, geometry.channels * geometry.kernelH * geometry.kernelW, geometry.outH * geometry.outW], g.dtype);
    kernels().im2col(g.dataSync(), geometry, gc.storage.data);
    return [gc, null];
  }
}

/** (N, C, H, W), or an unbatched (C, H, W) as a batch of one. */
function batched(op: string, x: Tensor): Tensor {
  if (x.ndim === 3) return x.unsqueeze(0);
  if (x.ndim !== 4) throw new Error(`${op}: expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got shape ${formatShape(x.shape)}`);
  return x;
}

/**
 * The sliding windows of an image as columns, as torch.nn.functional.unfold (im2col): a (N, C, H, W)
 * input gives (N, C * kh * kw, L), L the number of windows, each column one window's values.
 */
export const unfold = traced('unfold', function unfold(input: Tensor, kernelSize: Size2, options: WindowOptions = {}): Tensor {
  checkOptions('unfold', options, ['dilation', 'padding', 'stride']);
  requireFloat('unfold', input);
  const x = batched('unfold', input);
  const out = Unfold.apply(x, windowGeometry('unfold', x.shape, kernelSize, options));
  return input.ndim === 3 ? out.squeeze(0) : out;
});

/**
 * The inverse arrangement of unfold, summing overlapping values, as torch.nn.functional.fold
 * (col2im): (N, C * kh * kw, L) columns into a (N, C, outputSize) image.
 */
export const fold = traced('fold', function fold(input: Tensor, outputSize: Size2, kernelSize: Size2, options: WindowOptions = {}): Tensor {
  checkOptions('fold', options, ['dilation', 'padding', 'stride']);
  requireFloat('fold', input);
  const cols = input.ndim === 2 ? input.unsqueeze(0) : input;
  if (cols.ndim !== 3) throw new Error(`fold: expected a 2-D or 3-D input of columns, got shape ${formatShape(input.shape)}`);
  const [height, width] = pair('fold', 'outputSize', outputSize, 1);
  const [kh, kw] = pair('fold', 'kernelSize', kernelSize, 1);
  if (cols.shape[1] % (kh * kw) !== 0) {
    throw new Error(`fold: expected size of input's dimension 1 (${cols.shape[1]}) to be divisible by the product of kernelSize (${kh * kw})`);
  }
  const g = windowGeometry('fold', [cols.shape[0], cols.shape[1] / (kh * kw), height, width], kernelSize, options);
  if (g.outH * g.outW !== cols.shape[2]) {
    throw new Error(
      `fold: given outputSize ${height}x${width}, kernelSize ${kh}x${kw} and the options, expected ${g.outH * g.outW} blocks (${g.outH}x${g.outW}), but the input has ${cols.shape[2]}`,
    );
  }
  const out = Fold.apply(cols, g);
  return input.ndim === 2 ? out.squeeze(0) : out;
});
