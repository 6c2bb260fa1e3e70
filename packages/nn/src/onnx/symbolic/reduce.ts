import type { Tensor } from '@wick/core';
import { attr, normalizeDim, unsupported, type GraphBuilder, type OpCall } from '../graph';
import type { SymbolicTable } from './table';

type DimArg = number | readonly number[] | null | undefined;

/** The reduced dims, or null for all (no dim, or an empty list, as torch reads them). */
function reducedDims(x: Tensor, dim: DimArg): number[] | null {
  if (dim === null || dim === undefined || (typeof dim !== 'number' && dim.length === 0)) return null;
  return (typeof dim === 'number' ? [dim] : dim).map((d) => normalizeDim(d, x.ndim));
}

/**
 * A Reduce* node. Opset 17 takes ReduceSum's axes as an input and the other reductions' as an
 * attribute; no axes at all reduces every dim.
 */
function reduceNode(g: GraphBuilder, opType: string, input: string, dims: number[] | null, keepdim: boolean): string[] {
  const keepdims = { keepdims: attr.int(keepdim ? 1 : 0) };
  if (dims === null) return g.node(opType, [input], keepdims);
  if (opType === 'ReduceSum') return g.node(opType, [input, g.ints(dims)], keepdims);
  return g.node(opType, [input], { axes: attr.ints(dims), ...keepdims });
}

/** sum/mean/amax/amin/logsumexp(x, dim, keepdim), computed in the output's dtype (bools sum as int64). */
function reduction(opType: string) {
  return (g: GraphBuilder, c: OpCall): string[] => {
    const [x, dim, keepdim = false] = c.args as [Tensor, DimArg, boolean | undefined];
    return reduceNode(g, opType, g.operand(x, c.outputs[0].dtype), reducedDims(x, dim), keepdim);
  };
}

/** The index of the first extreme along dim (ArgMax/ArgMin pick the first by default, as Wick does). */
function argNode(g: GraphBuilder, opType: string, input: string, dim: number, keepdim: boolean): string[] {
  return g.node(opType, [input], { axis: attr.int(dim), keepdims: attr.int(keepdim ? 1 : 0) });
}

/** max/min: of everything, along a dim with the indices, or elementwise against a tensor. */
function extremum(reduce: string, arg: string, elementwise: string) {
  return (g: GraphBuilder, c: OpCall): string[] => {
    const [x, other, keepdim = false] = c.args as [Tensor, number | Tensor | undefined, boolean | undefined];
    if (other === undefined) return reduceNode(g, reduce, g.input(x), null, false);
    const dtype = c.outputs[0].dtype;
    if (typeof other === 'object') return g.node(elementwise, [g.operand(x, dtype), g.operand(other, dtype)]);
    const dim = normalizeDim(other, x.ndim);
    return [...reduceNode(g, reduce, g.input(x), [dim], keepdim), ...argNode(g, arg, g.input(x), dim, keepdim)];
  };
}

/** argmax/argmin: along a dim, or over the flattened tensor. */
function argExtremum(opType: string) {
  return (g: GraphBuilder, c: OpCall): string[] => {
    const [x, dim, keepdim = false] = c.args as [Tensor, number | null | undefined, boolean | undefined];
    if (dim !== null && dim !== undefined) return argNode(g, opType, g.input(x), normalizeDim(dim, x.ndim), keepdim);
    const [flat] = g.node('Reshape', [g.input(x), g.ints([-1])]);
    const [index] = argNode(g, opType, flat, 0, false);
    return keepdim ? g.node('Reshape', [index, g.ints(x.shape.map(() => 1))]) : [index];
  };
}

/** var/std: the mean squared deviation, divided by the count less the correction. */
function deviation(root: boolean) {
  return (g: GraphBuilder, c: OpCall): string[] => {
    const [x, dim, options = {}] = c.args as [Tensor, DimArg, { correction?: number; keepdim?: boolean } | undefined];
    const { correction = 1, keepdim = false } = options;
    const dims = reducedDims(x, dim) ?? x.shape.map((_, d) => d);
    const dynamic = g.dynamic(x);
    if (dims.some((d) => dynamic[d])) unsupported('a variance over a dim that varies with the dynamic axes needs its count from the shape; reduce over fixed dims, or export without that axis dynamic');
    const count = dims.reduce((n, d) => n * x.shape[d], 1);
    const input = g.input(x);
    const [mean] = reduceNode(g, 'ReduceMean', input, dims, true);
    const [centred] = g.node('Sub', [input, mean]);
    const [squares] = reduceNode(g, 'ReduceSum', g.node('Mul', [centred, centred])[0], dims, keepdim);
    const [variance] = g.node('Div', [squares, g.scalar(Math.max(count - correction, 0), x.dtype)]);
    return root ? g.node('Sqrt', [variance]) : [variance];
  };
}

/** Reductions and softmax. */
export const reduce: SymbolicTable = {
  sum: reduction('ReduceSum'),
  mean: reduction('ReduceMean'),
  amax: reduction('ReduceMax'),
  amin: reduction('ReduceMin'),
  logsumexp: reduction('ReduceLogSumExp'),
  max: extremum('ReduceMax', 'ArgMax', 'Max'),
  min: extremum('ReduceMin', 'ArgMin', 'Min'),
  argmax: argExtremum('ArgMax'),
  argmin: argExtremum('ArgMin'),
  var: deviation(false),
  std: deviation(true),
  softmax: (g, c) => {
    const x = c.args[0] as Tensor;
    return g.node('Softmax', [g.input(x)], { axis: attr.int(normalizeDim(c.args[1] as number, x.ndim)) });
  },
  logSoftmax: (g, c) => {
    const x = c.args[0] as Tensor;
    return g.node('LogSoftmax', [g.input(x)], { axis: attr.int(normalizeDim(c.args[1] as number, x.ndim)) });
  },
};
