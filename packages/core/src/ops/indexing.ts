import { kernels } from '../backend';
import { Context } from '../autograd/context';
import { Function } from '../autograd/function';
import { formatShape, normalizeDim } from '../shape';
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
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
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
}

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
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normalizeDim('indexSelect', dim, x.ndim);
  if (index.ndim > 1) throw new Error(`indexSelect: index must be 0-D or 1-D, got shape ${formatShape(index.shape)}`);
  checkIndices('indexSelect', index, x.shape[d] ?? 1, d);
  return IndexSelect.apply(x, d, index);
}

declare module '../tensor/tensor' {
  interface Tensor {
    /** out[i][j] = this[index[i][j]][j] along dim (torch.gather). */
    gather(dim: number, index: Tensor): Tensor;
    /** The entries of index along dim (torch.index_select). */
    indexSelect(dim: number, index: Tensor): Tensor;
  }
}

defineMethods({
  gather(dim, index) {
    return gather(this, dim, index);
  },
  indexSelect(dim, index) {
    return indexSelect(this, dim, index);
  },
});
