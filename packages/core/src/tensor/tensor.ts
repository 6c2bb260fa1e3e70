import { allocate, isFloatingPoint, type DType, type Storage } from '../dtype';
import { kernels, type Strided } from '../backend';
import type { Node } from '../autograd/node';
import { traceCall } from '../autograd/trace';
import { contiguousStrides, isDense, numelOf, normalizeDim } from '../shape';
import { TensorStorage } from './storage';
import { recycle } from './bufferPool';
import { formatTensor } from './format';
import { toNested, type NestedArray } from './data';

/** A number or boolean where a tensor operand is allowed (as a Python scalar in torch). */
export type Scalar = number | boolean;
/** A tensor or a scalar operand. */
export type TensorOrScalar = Tensor | Scalar;

/** The `(values, indices)` pair of max/min along a dim: destructure as an array or by name. */
export type ValuesIndices = readonly [Tensor, Tensor] & {
  /** The extremes. */
  readonly values: Tensor;
  /** Where each extreme is along the dim (int64; the first on ties). */
  readonly indices: Tensor;
};

/**
 * An n-dimensional array with autograd, as torch.Tensor. A tensor is a strided view onto
 * storage: views (reshape, transpose, expand, slicing) share it and cost no copy.
 *
 * This class holds what every tensor is (shape, strides, dtype, storage, gradient); the ops
 * modules attach their method forms (`x.add(y)`, `x.sum(1)`) with defineMethods(), each beside
 * the op it calls, so this module imports no op and no op module is imported back by it.
 */
export class Tensor {
  /** The size of each dim (torch's `shape`). */
  readonly shape: readonly number[];
  /** Elements to step in storage per index of each dim (torch's `stride()`). */
  readonly strides: readonly number[];
  /** Where the first element sits in storage (torch's `storage_offset()`). */
  readonly offset: number;
  /** The element type: 'float32', 'float64', 'int64' or 'bool'. */
  readonly dtype: DType;
  private _grad: Tensor | null = null;
  /** Whether code outside autograd and the optimizers may hold _grad: it was read or assigned. */
  private gradExposed = false;
  private _requiresGrad = false;
  private _gradFn: Node | null = null;
  private _outputNr = 0;

  /** @internal The memory behind this tensor, shared with its views. */
  readonly storage: TensorStorage;

  /**
   * A new tensor object over `source`'s data (no copy, no history), as the base of tensor
   * subclasses such as nn.Parameter. Build tensors with `tensor()`, `zeros()` and friends.
   */
  constructor(source: Tensor);
  /** @internal A tensor over `storage` with the given layout. */
  constructor(storage: TensorStorage, shape: readonly number[], dtype: DType, strides?: readonly number[], offset?: number);
  constructor(
    source: Tensor | TensorStorage,
    shape?: readonly number[],
    dtype?: DType,
    strides?: readonly number[],
    offset = 0,
  ) {
    if (source instanceof Tensor) {
      this.storage = source.storage;
      shape = source.shape;
      dtype = source.dtype;
      strides = source.strides;
      offset = source.offset;
    } else this.storage = source;
    const size = shape as readonly number[];
    // Copies, so the caller's arrays may change later; readonly by type, not frozen: freezing
    // puts every tensor's arrays on V8's slower frozen-elements paths.
    this.shape = size.slice();
    this.strides = (strides ?? contiguousStrides(size)).slice();
    this.offset = offset;
    this.dtype = dtype as DType;
  }

  /** @internal A contiguous tensor owning `data`. */
  static fromStorage(data: Storage, shape: readonly number[], dtype: DType): Tensor {
    return new Tensor(new TensorStorage(data), shape, dtype);
  }

  // ---- metadata -------------------------------------------------------------------------

  /** The number of dims. */
  get ndim(): number {
    return this.shape.length;
  }

  /** The number of dims (torch's dim()). */
  dim(): number {
    return this.shape.length;
  }

  /** The number of elements. */
  numel(): number {
    return numelOf(this.shape);
  }

  /** The shape; with a dim (negative counts from the end), that dim's size. */
  size(): readonly number[];
  size(dim: number): number;
  size(dim?: number): number | readonly number[] {
    return dim === undefined ? this.shape : this.shape[normalizeDim('size', dim, this.ndim)];
  }

  /** Whether the dtype is float32 or float64. */
  isFloatingPoint(): boolean {
    return isFloatingPoint(this.dtype);
  }

  /** Whether the elements lie in row-major order with no gaps (views such as t() are not). */
  isContiguous(): boolean {
    return isDense(this.shape, this.strides);
  }

  /** Bumped by every in-place write to this tensor's storage. */
  get version(): number {
    return this.storage.version;
  }

  /** @internal The strided window kernels read. */
  strided(): Strided {
    return { data: this.storage.data, offset: this.offset, strides: this.strides };
  }

  // ---- autograd -------------------------------------------------------------------------

  /** Accumulated gradient, set by backward() on leaves (and on non-leaves after retainGrad()). */
  get grad(): Tensor | null {
    if (this._grad !== null) this.gradExposed = true;
    return this._grad;
  }

  /**
   * Setting null (as zeroGrad does) drops the gradient; if it was never read or assigned from
   * outside, nothing can hold it, so its memory goes straight to the next op output that fits.
   */
  set grad(g: Tensor | null) {
    const old = this._grad;
    if (g === null && old !== null && !this.gradExposed && old.ownsStorage()) {
      recycle(old.storage.data);
      old.storage.dispose();
    }
    this._grad = g;
    this.gradExposed = g !== null;
  }

  /** @internal The gradient as autograd and optimizers read it, without exposing it. */
  peekGrad(): Tensor | null {
    return this._grad;
  }

  /** @internal Sets a gradient fresh from backward, which nothing else references. */
  adoptGrad(g: Tensor): void {
    this._grad = g;
    this.gradExposed = false;
  }

  /** Whether this tensor is its storage's only contiguous full view (a view is never pooled alone). */
  private ownsStorage(): boolean {
    return this.offset === 0 && this.isContiguous() && this.storage.data.length === this.numel();
  }

  /** Whether autograd records ops on this tensor so backward() reaches it; settable on leaves. */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  /** Sets requiresGrad (on a leaf; a floating-point dtype is needed to require gradients). */
  set requiresGrad(value: boolean) {
    this.requiresGrad_(value);
  }

  /** The graph node that made this tensor (torch's grad_fn), or null for a leaf. */
  get gradFn(): Node | null {
    return this._gradFn;
  }

  /** @internal Which output of gradFn this tensor is. */
  get outputNr(): number {
    return this._outputNr;
  }

  /** Whether the tensor was made by the user rather than by a recorded op: leaves get .grad filled. */
  get isLeaf(): boolean {
    return this._gradFn === null;
  }

  /** @internal Makes this tensor output `index` of `node`. */
  attachHistory(node: Node, index: number): void {
    this._gradFn = node;
    this._outputNr = index;
    this._requiresGrad = true;
  }

  /** Sets requiresGrad in place and returns this tensor (torch's requires_grad_). */
  requiresGrad_(requiresGrad = true): this {
    if (!this.isLeaf) {
      throw new Error(
        'requiresGrad_: you can only change requiresGrad of leaf tensors; use detach() to get a leaf from a non-leaf',
      );
    }
    if (requiresGrad && !this.isFloatingPoint()) {
      throw new Error(`requiresGrad_: only floating-point tensors can require gradients, got ${this.dtype}`);
    }
    this._requiresGrad = requiresGrad;
    return this;
  }

  /** Keeps .grad on this non-leaf tensor after backward(). */
  retainGrad(): void {
    if (!this._requiresGrad) throw new Error("retainGrad: can't retain the gradient of a tensor that does not require grad");
    if (this._gradFn !== null) this._gradFn.retained.set(this._outputNr, this);
  }

  /** Whether retainGrad() was called on this non-leaf tensor. */
  get retainsGrad(): boolean {
    return this._gradFn !== null && this._gradFn.retained.get(this._outputNr) === this;
  }

  /** A tensor sharing this one's data, cut from the graph. */
  detach(): Tensor {
    return traceCall('detach', [this], () => this.alias());
  }

  /** @internal A new tensor object over the same storage, without history. */
  alias(): Tensor {
    return new Tensor(this.storage, this.shape, this.dtype, this.strides, this.offset);
  }

  // ---- reading --------------------------------------------------------------------------

  /** The elements in row-major order: the storage itself (no copy) when laid out so, else a copy. */
  dataSync(): Storage {
    const data = this.storage.data;
    if (!this.isContiguous()) {
      const copy = allocate(this.dtype, this.numel());
      kernels().copy(this.strided(), { data: copy, offset: 0, strides: contiguousStrides(this.shape) }, this.shape);
      return copy;
    }
    const n = this.numel();
    return this.offset === 0 && data.length === n ? data : data.subarray(this.offset, this.offset + n);
  }

  /** Elements as nested arrays (booleans for bool tensors), as torch's tolist(). */
  toArray(): NestedArray {
    return toNested(this.dataSync(), this.shape, this.dtype);
  }

  /** The value of a one-element tensor as a number (bool as 0 or 1); other sizes are refused. */
  item(): number {
    if (this.numel() !== 1) {
      throw new Error(`item: a tensor with ${this.numel()} elements cannot be converted to a scalar`);
    }
    return this.storage.data[this.offset];
  }

  /** The tensor as torch prints it (`tensor([[1., 2.]], requires_grad=True)`). */
  toString(): string {
    return this.storage.disposed ? 'tensor(<disposed>)' : formatTensor(this);
  }

  /**
   * Frees this tensor's memory now instead of when it becomes unreachable (which needs no call
   * at all). The tensor, and every view sharing its storage, can no longer be used.
   */
  dispose(): void {
    this.storage.dispose();
  }

  /** Whether dispose() freed this tensor's memory. */
  get isDisposed(): boolean {
    return this.storage.disposed;
  }
}

/** Method forms of ops, attached by the modules that define the ops. */
type Methods = { [K in keyof Tensor]?: Tensor[K] } & ThisType<Tensor>;

/**
 * Attaches methods to Tensor (as tfjs's chained ops do): each ops module declares its methods on
 * the Tensor interface and attaches them here, so `x.add(y)` calls the op without this module
 * importing it.
 */
export function defineMethods(methods: Methods): void {
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
  }
}
