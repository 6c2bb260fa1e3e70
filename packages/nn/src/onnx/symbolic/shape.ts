import type { Tensor } from '@wick/core';
import { attr, normalizeDim, unsupported, type GraphBuilder } from '../graph';
import type { SymbolicTable } from './table';

/** Slice's "to the end": ONNX clamps ends to the dim's size. */
const TO_END = Number.MAX_SAFE_INTEGER;

/**
 * Reshape to the traced output's shape, written so that it holds for every size of the dynamic
 * axes: a dim that varies and equals the input's dim at the same place (in both traces) is 0,
 * ONNX's "copy it from the input"; at most one other varying dim is -1, inferred from the count.
 */
function reshapeTo(g: GraphBuilder, x: Tensor, out: Tensor): string[] {
  const outDynamic = g.dynamic(out);
  const inResized = g.resized(x);
  const outResized = g.resized(out);
  const target = out.shape.map((size, d) => {
    if (!outDynamic[d]) return size;
    return d < x.ndim && x.shape[d] === size && inResized[d] === outResized[d] ? 0 : -1;
  });
  if (target.filter((s) => s === -1).length > 1) {
    unsupported(
      `the result of shape [${out.shape.join(', ')}] has ${target.filter((s) => s === -1).length} dims that vary with the dynamic axes and are not the input's own; ONNX's Reshape can infer only one`,
    );
  }
  return g.node('Reshape', [g.input(x), g.ints(target)]);
}

/** The dims a squeeze removes: the given (or all) dims of size 1 that stay 1 whatever the dynamic axes. */
function squeezedDims(g: GraphBuilder, x: Tensor, dim: number | readonly number[] | undefined): number[] {
  const dims = dim === undefined ? x.shape.map((_, d) => d) : (typeof dim === 'number' ? [dim] : dim).map((d) => normalizeDim(d, x.ndim));
  const dynamic = g.dynamic(x);
  return dims.filter((d) => x.shape[d] === 1 && !dynamic[d]);
}

function transposeWith(g: GraphBuilder, x: Tensor, perm: readonly number[]): string[] {
  return g.node('Transpose', [g.input(x)], { perm: attr.ints(perm) });
}

function sliceNode(g: GraphBuilder, x: Tensor, dim: number, start: number, end: number, step = 1): string[] {
  return g.node('Slice', [g.input(x), g.ints([start]), g.ints([end]), g.ints([normalizeDim(dim, x.ndim)]), g.ints([step])]);
}

/** Shape changes, slicing, joining and gathering. */
export const shape: SymbolicTable = {
  reshape: (g, c) => reshapeTo(g, c.args[0] as Tensor, c.outputs[0]),
  view: (g, c) => reshapeTo(g, c.args[0] as Tensor, c.outputs[0]),
  flatten: (g, c) => {
    const x = c.args[0] as Tensor;
    const out = c.outputs[0];
    // torch's exporter writes Flatten where the result is (N, rest), as Flatten always gives 2-D.
    if (out.ndim === 2 && x.ndim >= 2 && out.shape[0] === x.shape[0] && normalizeDim((c.args[1] as number | undefined) ?? 0, x.ndim) === 1) {
      return g.node('Flatten', [g.input(x)], { axis: attr.int(1) });
    }
    return reshapeTo(g, x, out);
  },
  squeeze: (g, c) => {
    const x = c.args[0] as Tensor;
    const dims = squeezedDims(g, x, c.args[1] as number | readonly number[] | undefined);
    return dims.length === 0 ? g.node('Identity', [g.input(x)]) : g.node('Squeeze', [g.input(x), g.ints(dims)]);
  },
  unsqueeze: (g, c) => {
    const x = c.args[0] as Tensor;
    return g.node('Unsqueeze', [g.input(x), g.ints([normalizeDim(c.args[1] as number, x.ndim + 1)])]);
  },
  transpose: (g, c) => {
    const x = c.args[0] as Tensor;
    const perm = x.shape.map((_, d) => d);
    const [a, b] = [normalizeDim(c.args[1] as number, x.ndim), normalizeDim(c.args[2] as number, x.ndim)];
    [perm[a], perm[b]] = [perm[b], perm[a]];
    return transposeWith(g, x, perm);
  },
  t: (g, c) => {
    const x = c.args[0] as Tensor;
    return x.ndim < 2 ? g.node('Identity', [g.input(x)]) : transposeWith(g, x, [1, 0]);
  },
  permute: (g, c) => {
    const x = c.args[0] as Tensor;
    return transposeWith(g, x, (c.args[1] as readonly number[]).map((d) => normalizeDim(d, x.ndim)));
  },
  // ONNX's Expand broadcasts both ways, so a 1 keeps the input's own size (a varying one included).
  expand: (g, c) => {
    const x = c.args[0] as Tensor;
    const out = c.outputs[0];
    const lead = out.ndim - x.ndim;
    const inDynamic = g.dynamic(x);
    const outDynamic = g.dynamic(out);
    const target = out.shape.map((size, d) => {
      if (!outDynamic[d]) return size;
      if (d >= lead && inDynamic[d - lead]) return 1;
      return unsupported(`expanding a dim of size ${x.shape[d - lead] ?? 'none'} to a size that varies with the dynamic axes needs that size from another tensor; use expandAs on a tensor of that shape inside an op that broadcasts, such as add`);
    });
    return g.node('Expand', [g.input(x), g.ints(target)]);
  },
  narrow: (g, c) => {
    const [x, dim, start, length] = c.args as [Tensor, number, number, number];
    const end = start < 0 && start + length === 0 ? TO_END : start + length;
    return sliceNode(g, x, dim, start, end);
  },
  slice: (g, c) => {
    const [x, dim, start, end, step] = c.args as [Tensor, number, number | null | undefined, number | null | undefined, number | undefined];
    return sliceNode(g, x, dim, start ?? 0, end ?? TO_END, step ?? 1);
  },
  // A zero-dim index makes Gather drop the dim, as select does.
  select: (g, c) => {
    const [x, dim, index] = c.args as [Tensor, number, number];
    return g.node('Gather', [g.input(x), g.scalar(index, 'int64')], { axis: attr.int(normalizeDim(dim, x.ndim)) });
  },
  cat: (g, c) => {
    const tensors = c.args[0] as readonly Tensor[];
    const dtype = c.outputs[0].dtype;
    const dim = normalizeDim((c.args[1] as number | undefined) ?? 0, c.outputs[0].ndim);
    return g.node('Concat', tensors.map((t) => g.operand(t, dtype)), { axis: attr.int(dim) });
  },
  gather: (g, c) => {
    const [x, dim, index] = c.args as [Tensor, number, Tensor];
    return g.node('GatherElements', [g.input(x), g.input(index)], { axis: attr.int(normalizeDim(dim, x.ndim)) });
  },
  indexSelect: (g, c) => {
    const [x, dim, index] = c.args as [Tensor, number, Tensor];
    return g.node('Gather', [g.input(x), g.input(index)], { axis: attr.int(normalizeDim(dim, x.ndim)) });
  },
  embedding: (g, c) => {
    const [indices, weight] = c.args as [Tensor, Tensor];
    return g.node('Gather', [g.input(weight), g.input(indices)], { axis: attr.int(0) });
  },
  index: () => unsupported('advanced indexing (index) has no ONNX mapping in Wick yet; use indexSelect or gather'),
};

/** Ops whose size arguments may follow the dynamic axes: their forms are built from the traced shapes. */
export const SIZE_FOLLOWING_OPS: ReadonlySet<string> = new Set(['reshape', 'view', 'expand']);
