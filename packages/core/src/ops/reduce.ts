import { traced } from '../autograd/trace';
import { checkOptions } from '../options';
import { kernels, type ReduceOp } from '../backend';
import { Context } from '../autograd/context';
import { Function } from '../autograd/function';
import { isFloatingPoint, type DType, type Storage } from '../dtype';
import { normalizeDim, normalizeDims, numelOf, formatShape } from '../shape';
import { Tensor, defineMethods, type ValuesIndices } from '../tensor/tensor';
import { around, checkInt64Range, empty, requireFloat } from './util';
import { where } from './elementwise';

/** The dims a reduction runs over: one, several, or all (null, undefined or an empty list). */
export type DimArg = number | readonly number[] | null | undefined;

/** Options of var and std. */
export interface VarianceOptions {
  /** Subtracted from the count in the denominator: 1 (Bessel's correction, the default) or 0. */
  correction?: number;
  /** Keep reduced dims as size 1 (default false). */
  keepdim?: boolean;
}

interface Reduction {
  dims: number[];
  /** The output shape with reduced dims kept as size 1. */
  keptShape: number[];
  outShape: number[];
}

function plan(op: string, x: Tensor, dim: DimArg, keepdim: boolean): Reduction {
  const all = dim === null || dim === undefined || (Array.isArray(dim) && dim.length === 0);
  const dims = all ? x.shape.map((_, i) => i) : normalizeDims(op, typeof dim === 'number' ? [dim] : (dim as number[]), x.ndim);
  const keptShape = x.shape.map((s, i) => (dims.includes(i) ? 1 : s));
  const outShape = keepdim ? keptShape : x.shape.filter((_, i) => !dims.includes(i));
  return { dims, keptShape, outShape };
}

/**
 * Runs the middle-axis reduction kernel over any set of dims without moving the data: each run
 * of consecutive reduced dims is one axis (outer, size, inner) of the row-major data, reduced in
 * its own pass, the last run first. Passes before the final one write float64, so sums keep the
 * kernel's float64 accumulation and max/min stay exact. (A bias gradient's sum over N, H and W
 * of an (N, C, H, W) gradient is two passes, not a permuted copy and one pass.)
 */
function runReduce(op: ReduceOp, x: Tensor, r: Reduction, dtype: DType): Tensor {
  const out = empty(r.outShape, dtype);
  if (x.numel() === 0 && (op === 'max' || op === 'min')) {
    throw new Error(`${op}: cannot reduce an empty tensor of shape ${formatShape(x.shape)} without an identity`);
  }
  const runs: [number, number][] = [];
  for (let d = x.ndim - 1; d >= 0; d--) {
    if (!r.dims.includes(d)) continue;
    const end = d;
    while (d > 0 && r.dims.includes(d - 1)) d--;
    runs.push([d, end]);
  }
  const shape = [...x.shape];
  let data: Storage = x.dataSync();
  runs.forEach(([start, end], i) => {
    const [outer, size, inner] = [numelOf(shape.slice(0, start)), numelOf(shape.slice(start, end + 1)), numelOf(shape.slice(end + 1))];
    const target = i === runs.length - 1 ? out.storage.data : new Float64Array(outer * inner);
    kernels().reduce(op, data, outer, size, inner, target);
    shape.splice(start, end - start + 1, 1);
    data = target;
  });
  // A zero-dim tensor: its one value, through the kernel (which also converts bool sums to int64).
  if (runs.length === 0) kernels().reduce(op, data, 1, 1, 1, out.storage.data);
  return checkInt64Range(op, out);
}

class Sum extends Function {
  static forward(ctx: Context<{ r: Reduction; shape: readonly number[] }>, x: Tensor, dim: DimArg, keepdim: boolean): Tensor {
    const r = plan('sum', x, dim, keepdim);
    ctx.state = { r, shape: x.shape };
    return runReduce('sum', x, r, isFloatingPoint(x.dtype) ? x.dtype : 'int64');
  }
  // Every input element contributes once: the gradient is g broadcast back.
  static backward(ctx: Context<{ r: Reduction; shape: readonly number[] }>, g: Tensor) {
    return [g.reshape(ctx.state.r.keptShape).expand(ctx.state.shape), null, null];
  }
}

/** The sum over dim (a dim, several, or all when omitted), keeping them as size 1 with keepdim; bools and integers sum as int64 (torch.sum). */
export const sum = traced('sum', function sum(x: Tensor, dim?: DimArg, keepdim = false): Tensor {
  return Sum.apply(x, dim, keepdim);
});

/** The mean over dim (a dim, several, or all when omitted), keeping them as size 1 with keepdim (torch.mean); floating-point only. */
export const mean = traced('mean', function mean(x: Tensor, dim?: DimArg, keepdim = false): Tensor {
  requireFloat('mean', x);
  const r = plan('mean', x, dim, keepdim);
  const count = numelOf(r.dims.map((d) => x.shape[d]));
  return sum(x, dim, keepdim).div(count);
});

type ExtremeState = { r: Reduction };

/** amax/amin: the gradient is shared evenly among the elements that attain the extreme. */
class Extreme extends Function {
  static forward(ctx: Context<ExtremeState>, x: Tensor, op: 'max' | 'min', dim: DimArg, keepdim: boolean): Tensor {
    const r = plan(`a${op}`, x, dim, keepdim);
    const y = runReduce(op, x, r, x.dtype);
    ctx.state = { r };
    ctx.saveForBackward(x, y);
    return y;
  }
  static backward(ctx: Context<ExtremeState>, g: Tensor) {
    const [x, y] = ctx.savedTensors;
    const { keptShape, dims } = ctx.state.r;
    const hit = x.eq(y.reshape(keptShape));
    const count = hit.sum(dims, true);
    return [where(hit, g.reshape(keptShape).div(count), 0), null, null, null];
  }
}

/** The largest value over dim (a dim, several, or all when omitted), without indices (torch.amax); the gradient is shared among ties. */
export const amax = traced('amax', function amax(x: Tensor, dim?: DimArg, keepdim = false): Tensor {
  return Extreme.apply(x, 'max', dim, keepdim);
});
/** The smallest value over dim (a dim, several, or all when omitted), without indices (torch.amin); the gradient is shared among ties. */
export const amin = traced('amin', function amin(x: Tensor, dim?: DimArg, keepdim = false): Tensor {
  return Extreme.apply(x, 'min', dim, keepdim);
});

type ArgState = { dim: number; shape: readonly number[]; keepdim: boolean };

/** max/min along one dim with the index of the winner; the gradient flows to that index. */
class ExtremeWithIndex extends Function {
  static forward(ctx: Context<ArgState>, x: Tensor, op: 'max' | 'min', dim: number, keepdim: boolean): Tensor[] {
    const d = normalizeDim(op, dim, x.ndim);
    const [outer, size, inner] = around(x.shape, d);
    if (size === 0) throw new Error(`${op}: cannot reduce dim ${dim} of size 0`);
    const kept = x.shape.map((s, i) => (i === d ? 1 : s));
    const shape = keepdim || x.ndim === 0 ? kept.slice(0, x.ndim) : x.shape.filter((_, i) => i !== d);
    const values = empty(shape, x.dtype);
    const indices = empty(shape, 'int64');
    kernels().argReduce(op, x.dataSync(), outer, size, inner, values.storage.data, indices.storage.data);
    ctx.state = { dim: d, shape: x.shape, keepdim };
    ctx.saveForBackward(indices);
    ctx.markNonDifferentiable(indices);
    return [values, indices];
  }
  static backward(ctx: Context<ArgState>, g: Tensor) {
    const [indices] = ctx.savedTensors;
    const { dim, shape, keepdim } = ctx.state;
    const gk = keepdim || shape.length === 0 ? g : g.unsqueeze(dim);
    const ik = keepdim || shape.length === 0 ? indices : indices.unsqueeze(dim);
    const out = empty(shape, g.dtype);
    const [outer, size, inner] = around(shape, dim);
    kernels().scatterAdd(gk.dataSync(), ik.dataSync(), outer, size, 1, inner, out.storage.data);
    return [out, null, null, null];
  }
}

function pair(values: Tensor, indices: Tensor): ValuesIndices {
  return Object.assign([values, indices] as const, { values, indices });
}

function extremum(op: 'max' | 'min', x: Tensor, arg: number | Tensor | undefined, keepdim: boolean): Tensor | ValuesIndices {
  if (arg === undefined) return Extreme.apply(x, op, null, false);
  if (arg instanceof Tensor) return op === 'max' ? x.maximum(arg) : x.minimum(arg);
  const [values, indices] = ExtremeWithIndex.apply(x, op, arg, keepdim);
  return pair(values, indices);
}

/** max's and min's implementation, which the overloads below narrow. */
type ExtremumOf = (x: Tensor, arg?: number | Tensor, keepdim?: boolean) => Tensor | ValuesIndices;

/** max's and min's forms, as torch's (and as the methods'): of everything, along a dim, or elementwise. */
export interface Extremum {
  /** The extreme of all elements, as a zero-dim tensor. */
  (x: Tensor): Tensor;
  /** The extremes along dim and where they are (the first on ties). */
  (x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
  /** The elementwise extreme of x and other (maximum/minimum). */
  (x: Tensor, other: Tensor): Tensor;
}

/** torch.max: the largest element, the largest along a dim with its indices, or maximum(x, other). */
export const max = traced('max', function max(x: Tensor, arg?: number | Tensor, keepdim: boolean = false): Tensor | ValuesIndices {
  return extremum('max', x, arg, keepdim);
} as ExtremumOf) as Extremum;
/** torch.min: the smallest element, the smallest along a dim with its indices, or minimum(x, other). */
export const min = traced('min', function min(x: Tensor, arg?: number | Tensor, keepdim: boolean = false): Tensor | ValuesIndices {
  return extremum('min', x, arg, keepdim);
} as ExtremumOf) as Extremum;

function argExtreme(op: 'max' | 'min', x: Tensor, dim: number | null | undefined, keepdim: boolean): Tensor {
  const source = dim === null || dim === undefined ? x.reshape([-1]) : x;
  const [, indices] = ExtremeWithIndex.apply(source.detach(), op, dim ?? 0, keepdim && dim !== null && dim !== undefined);
  if ((dim === null || dim === undefined) && keepdim) return indices.reshape(x.shape.map(() => 1));
  return indices;
}

/** The index of the largest value along dim, or in the flattened tensor when dim is omitted (torch.argmax); the first on ties. */
export const argmax = traced('argmax', function argmax(x: Tensor, dim?: number | null, keepdim = false): Tensor {
  return argExtreme('max', x, dim, keepdim);
});
/** The index of the smallest value along dim, or in the flattened tensor when dim is omitted (torch.argmin); the first on ties. */
export const argmin = traced('argmin', function argmin(x: Tensor, dim?: number | null, keepdim = false): Tensor {
  return argExtreme('min', x, dim, keepdim);
});

/**
 * log(sum(exp(x))) computed as m + log(sum(exp(x - m))) with m the (detached) max, so large
 * inputs do not overflow; infinite maxima are replaced by 0 to avoid inf - inf.
 */
export const logsumexp = traced('logsumexp', function logsumexp(x: Tensor, dim: number | readonly number[], keepdim = false): Tensor {
  requireFloat('logsumexp', x);
  const m = x.detach().amax(dim, true);
  const shift = where(m.abs().eq(Infinity), 0, m);
  const out = x.sub(shift).exp().sum(dim, true).log().add(shift);
  return keepdim ? out : out.squeeze(typeof dim === 'number' ? dim : [...dim]);
});

/** The variance over dim (a dim, several, or all when omitted), with Bessel's correction unless options.correction is 0 (torch.var; exported as var). */
export const variance = traced('var', function variance(x: Tensor, dim?: DimArg, options: VarianceOptions = {}): Tensor {
  checkOptions('var', options, ['correction', 'keepdim']);
  requireFloat('var', x);
  const { correction = 1, keepdim = false } = options;
  const r = plan('var', x, dim, keepdim);
  const count = numelOf(r.dims.map((d) => x.shape[d]));
  const centered = x.sub(x.mean(r.dims, true));
  return centered.mul(centered).sum(r.dims, keepdim).div(Math.max(0, count - correction));
});

/** The standard deviation over dim, the square root of var (torch.std). */
export const std = traced('std', function std(x: Tensor, dim?: DimArg, options: VarianceOptions = {}): Tensor {
  checkOptions('std', options, ['correction', 'keepdim']);
  return variance(x, dim, options).sqrt();
});

declare module '../tensor/tensor' {
  interface Tensor {
    /** The sum over dim (a dim, several, or all when omitted). */
    sum(dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
    /** The mean over dim (a dim, several, or all when omitted). */
    mean(dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
    /** The largest element, as a zero-dim tensor. */
    max(): Tensor;
    /** The largest values along dim and their indices (the first on ties). */
    max(dim: number, keepdim?: boolean): ValuesIndices;
    /** The elementwise maximum with other. */
    max(other: Tensor): Tensor;
    /** The smallest element, as a zero-dim tensor. */
    min(): Tensor;
    /** The smallest values along dim and their indices (the first on ties). */
    min(dim: number, keepdim?: boolean): ValuesIndices;
    /** The elementwise minimum with other. */
    min(other: Tensor): Tensor;
    /** The maximum over dim (a dim, several, or all), without indices. */
    amax(dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
    /** The minimum over dim (a dim, several, or all), without indices. */
    amin(dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
    /** The index of the largest element (of the flattened tensor when dim is omitted). */
    argmax(dim?: number | null, keepdim?: boolean): Tensor;
    /** The index of the smallest element (of the flattened tensor when dim is omitted). */
    argmin(dim?: number | null, keepdim?: boolean): Tensor;
    /** log(sum(exp(this))) over dim, computed stably. */
    logsumexp(dim: number | readonly number[], keepdim?: boolean): Tensor;
    /** The variance over dim (Bessel-corrected unless options say otherwise). */
    var(dim?: number | readonly number[] | null, options?: VarianceOptions): Tensor;
    /** The standard deviation over dim (Bessel-corrected unless options say otherwise). */
    std(dim?: number | readonly number[] | null, options?: VarianceOptions): Tensor;
  }
}

defineMethods({
  sum(dim, keepdim = false) {
    return sum(this, dim, keepdim);
  },
  mean(dim, keepdim = false) {
    return mean(this, dim, keepdim);
  },
  max: function (this: Tensor, arg?: number | Tensor, keepdim: boolean = false) {
    return (max as ExtremumOf)(this, arg, keepdim);
  } as Tensor['max'],
  min: function (this: Tensor, arg?: number | Tensor, keepdim: boolean = false) {
    return (min as ExtremumOf)(this, arg, keepdim);
  } as Tensor['min'],
  amax(dim, keepdim = false) {
    return amax(this, dim, keepdim);
  },
  amin(dim, keepdim = false) {
    return amin(this, dim, keepdim);
  },
  argmax(dim, keepdim = false) {
    return argmax(this, dim, keepdim);
  },
  argmin(dim, keepdim = false) {
    return argmin(this, dim, keepdim);
  },
  logsumexp(dim, keepdim = false) {
    return logsumexp(this, dim, keepdim);
  },
  var(dim, options = {}) {
    return variance(this, dim, options);
  },
  std(dim, options = {}) {
    return std(this, dim, options);
  },
});
