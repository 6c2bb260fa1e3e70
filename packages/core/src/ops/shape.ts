import { traced } from '../autograd/trace';
import { kernels } from '../backend';
import { Context } from '../autograd/context';
import { Function } from '../autograd/function';
import { promoteTypes } from '../dtype';
import { contiguousStrides, formatShape, normalizeDim, numelOf, sameShape } from '../shape';
import { Tensor, defineMethods } from '../tensor/tensor';
import { zeros } from '../tensor/creation';
import { empty, sumToShape } from './util';

/** Accepts both `reshape(2, 3)` and `reshape([2, 3])`, as torch does. */
export function shapeArgs(args: readonly number[] | [readonly number[]]): number[] {
  return args.length === 1 && Array.isArray(args[0]) ? [...(args[0] as readonly number[])] : [...(args as number[])];
}

function restride(x: Tensor, shape: readonly number[], strides: readonly number[], offset = x.offset): Tensor {
  return new Tensor(x.storage, shape, x.dtype, strides, offset);
}

/** Resolves one -1 in a requested shape from the element count. */
function resolveShape(op: string, x: Tensor, requested: readonly number[]): number[] {
  const shape = [...requested];
  const inferred = shape.flatMap((s, i) => (s === -1 ? [i] : []));
  if (inferred.length > 1) throw new Error(`${op}: only one dimension can be inferred, got ${formatShape(requested)}`);
  for (const s of shape) {
    if (!Number.isInteger(s) || s < -1) throw new Error(`${op}: invalid shape ${formatShape(requested)}`);
  }
  const known = numelOf(shape.filter((s) => s !== -1));
  if (inferred.length === 1) {
    if (known === 0 || x.numel() % known !== 0) {
      throw new Error(`${op}: shape ${formatShape(requested)} is invalid for input of size ${x.numel()}`);
    }
    shape[inferred[0]] = x.numel() / known;
  }
  if (numelOf(shape) !== x.numel()) {
    throw new Error(`${op}: shape ${formatShape(requested)} is invalid for input of size ${x.numel()} (shape ${formatShape(x.shape)})`);
  }
  return shape;
}

/** Any op whose output is the input's elements in the same order under another shape. */
class Reshape extends Function {
  static forward(ctx: Context<readonly number[]>, x: Tensor, shape: readonly number[], copy: boolean): Tensor {
    ctx.state = x.shape;
    if (x.isContiguous()) return restride(x, shape, contiguousStrides(shape));
    if (!copy) {
      throw new Error(
        `view: the tensor of shape ${formatShape(x.shape)} and strides ${formatShape(x.strides)} is not contiguous; use reshape() instead`,
      );
    }
    return restride(x.contiguous(), shape, contiguousStrides(shape), 0);
  }
  static backward(ctx: Context<readonly number[]>, g: Tensor) {
    return [g.reshape(ctx.state), null, null];
  }
}

/** A view whose elements are the input's under new strides, with reshape as its adjoint. */
class Restride extends Function {
  static forward(ctx: Context<readonly number[]>, x: Tensor, shape: readonly number[], strides: readonly number[]): Tensor {
    ctx.state = x.shape;
    return restride(x, shape, strides);
  }
  static backward(ctx: Context<readonly number[]>, g: Tensor) {
    return [g.reshape(ctx.state), null, null];
  }
}

/** x with a new shape of the same number of elements (one size may be -1): a view where the strides allow, else a copy (torch.reshape). */
export const reshape = traced('reshape', function reshape(x: Tensor, shape: readonly number[]): Tensor {
  return Reshape.apply(x, resolveShape('reshape', x, shape), true);
});

/** x viewed with a new shape (one size may be -1), sharing its data; refused where the strides do not allow it (torch's view; use reshape). */
export const view = traced('view', function view(x: Tensor, shape: readonly number[]): Tensor {
  return Reshape.apply(x, resolveShape('view', x, shape), false);
});

/** Dims startDim..endDim merged into one (torch.flatten; by default all). */
export const flatten = traced('flatten', function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeDim('flatten', startDim, x.ndim);
  const e = normalizeDim('flatten', endDim, x.ndim);
  if (s > e) throw new Error(`flatten: startDim ${startDim} comes after endDim ${endDim}`);
  return reshape(x, [...x.shape.slice(0, s), numelOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)]);
});

/** x without size-1 dims: all of them, or the given ones (others are left alone, as torch does). */
export const squeeze = traced('squeeze', function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  const dims =
    dim === undefined
      ? x.shape.map((_, i) => i)
      : (typeof dim === 'number' ? [dim] : dim).map((d) => normalizeDim('squeeze', d, x.ndim));
  const keep = x.shape.map((s, i) => !(s === 1 && dims.includes(i)));
  return Restride.apply(x, x.shape.filter((_, i) => keep[i]), x.strides.filter((_, i) => keep[i]));
});

/** x with a size-1 dim inserted at dim (negative counts from the end of the result). */
export const unsqueeze = traced('unsqueeze', function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim('unsqueeze', dim, x.ndim + 1);
  const shape = [...x.shape];
  const strides = [...x.strides];
  shape.splice(d, 0, 1);
  strides.splice(d, 0, d < x.ndim ? x.strides[d] * x.shape[d] : 1);
  return Restride.apply(x, shape, strides);
});

class Permute extends Function {
  static forward(ctx: Context<number[]>, x: Tensor, dims: readonly number[]): Tensor {
    ctx.state = [...dims];
    return restride(x, dims.map((d) => x.shape[d]), dims.map((d) => x.strides[d]));
  }
  static backward(ctx: Context<number[]>, g: Tensor) {
    const inverse = new Array<number>(ctx.state.length);
    ctx.state.forEach((d, i) => (inverse[d] = i));
    return [g.permute(inverse), null];
  }
}

/** x with its dims reordered (a view, torch.permute). */
export const permute = traced('permute', function permute(x: Tensor, dims: readonly number[]): Tensor {
  const norm = dims.map((d) => normalizeDim('permute', d, x.ndim));
  if (norm.length !== x.ndim || new Set(norm).size !== norm.length) {
    throw new Error(`permute: dims ${formatShape(dims)} are not a permutation of the ${x.ndim} dims of a tensor of shape ${formatShape(x.shape)}`);
  }
  return Permute.apply(x, norm);
});

/** x with dim0 and dim1 swapped (a view, torch.transpose). */
export const transpose = traced('transpose', function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  if (x.ndim === 0) return x;
  const a = normalizeDim('transpose', dim0, x.ndim);
  const b = normalizeDim('transpose', dim1, x.ndim);
  const dims = x.shape.map((_, i) => i);
  dims[a] = b;
  dims[b] = a;
  return Permute.apply(x, dims);
});

/** The transpose of a matrix; a vector or scalar as it is (torch.t). */
export const t = traced('t', function t(x: Tensor): Tensor {
  if (x.ndim > 2) throw new Error(`t: expects a tensor with at most 2 dimensions, got shape ${formatShape(x.shape)}; use transpose()`);
  return x.ndim < 2 ? x : transpose(x, 0, 1);
});

class Expand extends Function {
  static forward(ctx: Context<readonly number[]>, x: Tensor, shape: readonly number[]): Tensor {
    ctx.state = x.shape;
    const lead = shape.length - x.ndim;
    return restride(x, shape, shape.map((s, d) => (d < lead || (x.shape[d - lead] === 1 && s !== 1) ? 0 : x.strides[d - lead])));
  }
  // Broadcasting read one element many times; its gradient is the sum of theirs.
  static backward(ctx: Context<readonly number[]>, g: Tensor) {
    return [sumToShape(g, ctx.state), null];
  }
}

/** x's size-1 dims repeated to shape without copying (-1 keeps a size; new leading dims may be added), as torch's expand. */
export const expand = traced('expand', function expand(x: Tensor, requested: readonly number[]): Tensor {
  const lead = requested.length - x.ndim;
  if (lead < 0) {
    throw new Error(`expand: the target shape ${formatShape(requested)} has fewer dims than the tensor's ${formatShape(x.shape)}`);
  }
  const shape = requested.map((s, d) => {
    if (d < lead) {
      if (s < 0) throw new Error(`expand: -1 is not allowed for the new leading dim ${d} of ${formatShape(requested)}`);
      return s;
    }
    const own = x.shape[d - lead];
    if (s === -1) return own;
    if (own !== 1 && own !== s) {
      throw new Error(
        `expand: the expanded size ${s} must match the existing size ${own} at dim ${d} (target ${formatShape(requested)}, tensor ${formatShape(x.shape)})`,
      );
    }
    return s;
  });
  if (sameShape(shape, x.shape)) return x;
  return Expand.apply(x, shape);
});

/** Elements start, start + step, ... (count of them) along dim; drop removes the dim (select). */
interface SliceSpec {
  dim: number;
  start: number;
  step: number;
  count: number;
  drop: boolean;
}

function sliceView(x: Tensor, s: SliceSpec): Tensor {
  const shape = [...x.shape];
  const strides = [...x.strides];
  const offset = x.offset + s.start * x.strides[s.dim];
  if (s.drop) {
    shape.splice(s.dim, 1);
    strides.splice(s.dim, 1);
  } else {
    shape[s.dim] = s.count;
    strides[s.dim] = x.strides[s.dim] * s.step;
  }
  return restride(x, shape, strides, offset);
}

class Slice extends Function {
  static forward(ctx: Context<{ shape: readonly number[]; spec: SliceSpec }>, x: Tensor, spec: SliceSpec): Tensor {
    ctx.state = { shape: x.shape, spec };
    return sliceView(x, spec);
  }
  // The adjoint scatters g back into a zero tensor of the input's shape.
  static backward(ctx: Context<{ shape: readonly number[]; spec: SliceSpec }>, g: Tensor) {
    const out = zeros(ctx.state.shape, { dtype: g.dtype });
    const window = sliceView(out, ctx.state.spec);
    kernels().copy(g.strided(), window.strided(), g.shape);
    return [out, null];
  }
}

/** length elements along dim from start (a view, torch.narrow). */
export const narrow = traced('narrow', function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normalizeDim('narrow', dim, x.ndim);
  const size = x.shape[d];
  const s = start < 0 ? start + size : start;
  if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > size) {
    throw new Error(`narrow: start ${start} and length ${length} are out of range for dim ${dim} of size ${size}`);
  }
  return Slice.apply(x, { dim: d, start: s, step: 1, count: length, drop: false });
});

/** The slice at index along dim, without that dim (a view, torch.select; x[..., index, ...]). */
export const select = traced('select', function select(x: Tensor, dim: number, index: number): Tensor {
  const d = normalizeDim('select', dim, x.ndim);
  const size = x.shape[d];
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new Error(`select: index ${index} is out of range for dim ${dim} of size ${size}`);
  }
  return Slice.apply(x, { dim: d, start: index < 0 ? index + size : index, step: 1, count: 1, drop: true });
});

/** Python slicing `start:end:step` along dim: negative bounds count from the end, out-of-range ones clamp. */
export const slice = traced('slice', function slice(x: Tensor, dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
  const d = normalizeDim('slice', dim, x.ndim);
  if (!Number.isInteger(step) || step <= 0) throw new Error(`slice: step must be a positive integer, got ${step}`);
  const size = x.shape[d];
  const clampIndex = (v: number) => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
  const lo = clampIndex(start ?? 0);
  const hi = Math.max(lo, clampIndex(end ?? size));
  return Slice.apply(x, { dim: d, start: lo, step, count: Math.ceil((hi - lo) / step), drop: false });
});

class Cat extends Function {
  static forward(ctx: Context<{ dim: number; sizes: number[] }>, dim: number, ...tensors: Tensor[]): Tensor {
    const first = tensors[0];
    const sizes = tensors.map((t) => t.shape[dim]);
    const shape = [...first.shape];
    shape[dim] = sizes.reduce((a, b) => a + b, 0);
    const out = empty(shape, tensors.map((t) => t.dtype).reduce(promoteTypes));
    let at = 0;
    for (const t of tensors) {
      const window = sliceView(out, { dim, start: at, step: 1, count: t.shape[dim], drop: false });
      kernels().copy(t.strided(), window.strided(), t.shape);
      at += t.shape[dim];
    }
    ctx.state = { dim, sizes };
    return out;
  }
  static backward(ctx: Context<{ dim: number; sizes: number[] }>, g: Tensor) {
    const { dim, sizes } = ctx.state;
    let at = 0;
    const grads = sizes.map((size) => {
      const piece = g.narrow(dim, at, size);
      at += size;
      return piece;
    });
    return [null, ...grads];
  }
}

/** The tensors joined along an existing dim, promoted to a common dtype (torch.cat). */
export const cat = traced('cat', function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new Error('cat: expected a non-empty list of tensors');
  const first = tensors[0];
  const d = normalizeDim('cat', dim, first.ndim);
  tensors.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((s, k) => k !== d && s !== first.shape[k])) {
      throw new Error(
        `cat: tensor ${i} has shape ${formatShape(t.shape)}, which does not match ${formatShape(first.shape)} except in dim ${dim}`,
      );
    }
  });
  return Cat.apply(d, ...tensors);
});

/** The tensors, of one shape, joined along a new dim (torch.stack). */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new Error('stack: expected a non-empty list of tensors');
  const d = normalizeDim('stack', dim, tensors[0].ndim + 1);
  tensors.forEach((t, i) => {
    if (!sameShape(t.shape, tensors[0].shape)) {
      throw new Error(`stack: expects each tensor to be equal size, but got ${formatShape(tensors[0].shape)} at entry 0 and ${formatShape(t.shape)} at entry ${i}`);
    }
  });
  return cat(tensors.map((t) => unsqueeze(t, d)), d);
}

declare module '../tensor/tensor' {
  interface Tensor {
    /** The same elements in a new shape (a view when the layout allows, else a copy); one size may be -1. */
    reshape(...shape: readonly number[] | [readonly number[]]): Tensor;
    /** The same elements in a new shape, always a view (throws where the layout does not allow one). */
    view(...shape: readonly number[] | [readonly number[]]): Tensor;
    /** Dims startDim..endDim merged into one. */
    flatten(startDim?: number, endDim?: number): Tensor;
    /** Size-1 dims removed (all, or the given ones). */
    squeeze(dim?: number | readonly number[]): Tensor;
    /** A size-1 dim inserted at dim. */
    unsqueeze(dim: number): Tensor;
    /** dim0 and dim1 swapped (a view). */
    transpose(dim0: number, dim1: number): Tensor;
    /** Transpose of a tensor of rank at most 2. */
    t(): Tensor;
    /** The dims reordered (a view). */
    permute(...dims: readonly number[] | [readonly number[]]): Tensor;
    /** Size-1 dims repeated to shape without copying (-1 keeps a size). */
    expand(...shape: readonly number[] | [readonly number[]]): Tensor;
    /** expand() to other's shape. */
    expandAs(other: Tensor): Tensor;
    /** `length` elements along dim from start (a view). */
    narrow(dim: number, start: number, length: number): Tensor;
    /** The slice at index along dim, without that dim (a view). */
    select(dim: number, index: number): Tensor;
    /** Python's `x[..., start:end:step, ...]` along one dim. */
    slice(dim: number, start?: number | null, end?: number | null, step?: number): Tensor;
  }
}

defineMethods({
  reshape(...shape) {
    return reshape(this, shapeArgs(shape));
  },
  view(...shape) {
    return view(this, shapeArgs(shape));
  },
  flatten(startDim = 0, endDim = -1) {
    return flatten(this, startDim, endDim);
  },
  squeeze(dim) {
    return squeeze(this, dim);
  },
  unsqueeze(dim) {
    return unsqueeze(this, dim);
  },
  transpose(dim0, dim1) {
    return transpose(this, dim0, dim1);
  },
  t() {
    return t(this);
  },
  permute(...dims) {
    return permute(this, shapeArgs(dims));
  },
  expand(...shape) {
    return expand(this, shapeArgs(shape));
  },
  expandAs(other) {
    return expand(this, other.shape);
  },
  narrow(dim, start, length) {
    return narrow(this, dim, start, length);
  },
  select(dim, index) {
    return select(this, dim, index);
  },
  slice(dim, start, end, step = 1) {
    return slice(this, dim, start, end, step);
  },
});
