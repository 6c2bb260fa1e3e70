import { traced } from '../autograd/trace';
import { kernels } from '../backend';
import { Context } from '../autograd/context';
import { Function } from '../autograd/function';
import { broadcastShapes, formatShape, normalizeDim } from '../shape';
import { tensor } from '../tensor/creation';
import { Tensor, defineMethods } from '../tensor/tensor';
import { around, empty } from './util';

function checkIndices(op: string, index: Tensor, size: number, dim: number): void {
  if (index.dtype !== 'int64') throw new Error(`${op}: expected an int64 index tensor, got ${index.dtype}`);
  const data = index.dataSync();
  for (let i = 0; i < data.length; i++) {
    if (data[i] < 0 || data[i] >= size) {
      throw new Error(`${op}: index ${data[i]} is out of bounds for dim ${dim} with size ${size}`);
    }
  }
}

type GatherState = { dim: number; shape: readonly number[] };

class Gather extends Function {
  static forward(ctx: Context<GatherState>, x: Tensor, dim: number, index: Tensor): Tensor {
    // Rows beyond the index's extent in the other dims are never read: narrow them away.
    let source = x;
    index.shape.forEach((s, d) => {
      if (d !== dim && s < x.shape[d]) source = source.narrow(d, 0, s);
    });
    const [outer, size, inner] = around(source.shape, dim);
    const out = empty(index.shape, x.dtype);
    kernels().gather(source.dataSync(), index.dataSync(), outer, size, index.shape[dim], inner, out.storage.data);
    ctx.state = { dim, shape: x.shape };
    ctx.saveForBackward(index);
    return out;
  }
  // The adjoint of reading x at index: add g into those positions.
  static backward(ctx: Context<GatherState>, g: Tensor) {
    const [index] = ctx.savedTensors;
    const { dim, shape } = ctx.state;
    const full = empty(index.shape.map((s, d) => (d === dim ? shape[d] : s)), g.dtype);
    const [outer, size, inner] = around(full.shape, dim);
    kernels().scatterAdd(g.dataSync(), index.dataSync(), outer, size, index.shape[dim], inner, full.storage.data);
    const pad = shape.some((s, d) => s !== full.shape[d]);
    if (!pad) return [full, null, null];
    const out = empty(shape, g.dtype);
    const window = full.shape.reduce((t, s, d) => (s < shape[d] ? t.narrow(d, 0, s) : t), out);
    kernels().copy(full.strided(), window.strided(), full.shape);
    return [out, null, null];
  }
}

/** out[i][j] = x[i][index[i][j]] along dim (torch.gather). */
export const gather = traced('gather', function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normalizeDim('gather', dim, x.ndim);
  if (index.ndim !== x.ndim) {
    throw new Error(`gather: index of shape ${formatShape(index.shape)} must have the same rank as the input of shape ${formatShape(x.shape)}`);
  }
  index.shape.forEach((s, k) => {
    if (k !== d && s > x.shape[k]) {
      throw new Error(`gather: index of shape ${formatShape(index.shape)} is larger than the input of shape ${formatShape(x.shape)} in dim ${k}`);
    }
  });
  checkIndices('gather', index, x.shape[d], d);
  return Gather.apply(x, d, index);
});

type SelectState = { dim: number; shape: readonly number[] };

class IndexSelect extends Function {
  static forward(ctx: Context<SelectState>, x: Tensor, dim: number, index: Tensor): Tensor {
    const shape = [...x.shape];
    shape[dim] = index.numel();
    const out = empty(shape, x.dtype);
    const [outer, size, inner] = around(x.shape, dim);
    kernels().indexSelect(x.dataSync(), index.dataSync(), outer, size, inner, out.storage.data);
    ctx.state = { dim, shape: x.shape };
    ctx.saveForBackward(index);
    return out;
  }
  static backward(ctx: Context<SelectState>, g: Tensor) {
    const [index] = ctx.savedTensors;
    const out = empty(ctx.state.shape, g.dtype);
    const [outer, size, inner] = around(ctx.state.shape, ctx.state.dim);
    kernels().indexAdd(g.dataSync(), index.dataSync(), outer, size, inner, out.storage.data);
    return [out, null, null];
  }
}

/** The slices of x at the given indices along dim (torch.index_select). */
export const indexSelect = traced('indexSelect', function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normalizeDim('indexSelect', dim, x.ndim);
  if (index.ndim > 1) throw new Error(`indexSelect: index must be 0-D or 1-D, got shape ${formatShape(index.shape)}`);
  checkIndices('indexSelect', index, x.shape[d] ?? 1, d);
  return IndexSelect.apply(x, d, index);
});

/**
 * Advanced indexing by int64 index tensors for the leading dims, as torch's `x[i, j]` with
 * tensors i and j: the indices broadcast together, and the result has their shape followed by
 * x's remaining dims (`x.index([arange(n), y])` picks x[k, y[k]] for each k, as `x[range(n), y]`).
 * Negative indices count from the end. Differentiable in x.
 */
export const index = traced('index', function index(x: Tensor, indices: readonly Tensor[]): Tensor {
  if (indices.length === 0 || indices.length > x.ndim) {
    throw new Error(`index: expected 1 to ${x.ndim} index tensors for a tensor of shape ${formatShape(x.shape)}, got ${indices.length}`);
  }
  indices.forEach((t, d) => {
    if (t.dtype !== 'int64') throw new Error(`index: index tensor ${d} must be int64, got ${t.dtype}`);
  });
  const shape = broadcastShapes('index', ...indices.map((t) => t.shape));
  const dims = x.shape.slice(0, indices.length);
  const count = shape.reduce((a, b) => a * b, 1);
  // The flat position of each indexed element among the leading dims, row-major.
  const flat = new Float64Array(count);
  indices.forEach((t, d) => {
    const values = t.expand(shape).contiguous().dataSync();
    const stride = dims.slice(d + 1).reduce((a, b) => a * b, 1);
    for (let k = 0; k < count; k++) {
      let v = values[k];
      if (v < -dims[d] || v >= dims[d]) throw new Error(`index: index ${v} is out of bounds for dim ${d} with size ${dims[d]}`);
      if (v < 0) v += dims[d];
      flat[k] += v * stride;
    }
  });
  const rest = x.shape.slice(indices.length);
  const rows = x.reshape([dims.reduce((a, b) => a * b, 1), ...rest]);
  return indexSelect(rows, 0, tensor(flat, { dtype: 'int64' })).reshape([...shape, ...rest]);
});

declare module '../tensor/tensor' {
  interface Tensor {
    /** out[i][j] = this[index[i][j]][j] along dim (torch.gather). */
    gather(dim: number, index: Tensor): Tensor;
    /** The entries of index along dim (torch.index_select). */
    indexSelect(dim: number, index: Tensor): Tensor;
    /** Advanced indexing by int64 tensors for the leading dims, as torch's `x[i, j]` (see index()). */
    index(...indices: Tensor[]): Tensor;
  }
}

defineMethods({
  gather(dim, index) {
    return gather(this, dim, index);
  },
  indexSelect(dim, idx) {
    return indexSelect(this, dim, idx);
  },
  index(...indices) {
    return index(this, indices);
  },
});
