import type { DType, Storage } from '../dtype';
import { isFloatingPoint } from '../dtype';
import type { Strided } from '../backend';
import type { Node } from '../autograd/node';
import { contiguousStrides, formatShape, isDense, numelOf, normalizeDim, sameShape } from '../shape';
import { TensorStorage } from './storage';
import { recycle } from './bufferPool';
import { onesLike } from './creation';
import { formatTensor } from './format';
import { toNested, type NestedArray } from './data';
import { runBackward } from '../autograd/engine';
import * as E from '../ops/elementwise';
import * as R from '../ops/reduce';
import * as S from '../ops/shape';
import * as I from '../ops/indexing';
import * as M from '../ops/matmul';
import * as X from '../ops/softmax';
import * as C from '../ops/convert';
import * as P from '../ops/inplace';

export type Scalar = number | boolean;
export type TensorOrScalar = Tensor | Scalar;

/** The `(values, indices)` pair of max/min along a dim: destructure as an array or by name. */
export type ValuesIndices = readonly [Tensor, Tensor] & { readonly values: Tensor; readonly indices: Tensor };

export interface BackwardOptions {
  /** Keep saved tensors so the graph can be backpropagated again. */
  retainGraph?: boolean;
}

/**
 * An n-dimensional array with autograd, as torch.Tensor. A tensor is a strided view onto
 * storage: views (reshape, transpose, expand, slicing) share it and cost no copy.
 */
export class Tensor {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly dtype: DType;
  private _grad: Tensor | null = null;
  /** Whether code outside autograd and the optimizers may hold _grad: it was read or assigned. */
  private gradExposed = false;
  private _requiresGrad = false;
  private _gradFn: Node | null = null;
  private _outputNr = 0;

  /** @internal Build tensors with `tensor()`, `zeros()` and friends. */
  constructor(
    readonly storage: TensorStorage,
    shape: readonly number[],
    dtype: DType,
    strides: readonly number[] = contiguousStrides(shape),
    offset = 0,
  ) {
    // Copies, so the caller's arrays may change later; readonly by type, not frozen: freezing
    // put every tensor's arrays on V8's slower frozen-elements paths (8 us of a 50 us step's
    // bookkeeping in the benchmark MLP).
    this.shape = shape.slice();
    this.strides = strides.slice();
    this.offset = offset;
    this.dtype = dtype;
  }

  /** @internal A contiguous tensor owning `data`. */
  static fromStorage(data: Storage, shape: readonly number[], dtype: DType): Tensor {
    return new Tensor(new TensorStorage(data), shape, dtype);
  }

  // ---- metadata -------------------------------------------------------------------------

  get ndim(): number {
    return this.shape.length;
  }

  dim(): number {
    return this.shape.length;
  }

  numel(): number {
    return numelOf(this.shape);
  }

  size(): readonly number[];
  size(dim: number): number;
  size(dim?: number): number | readonly number[] {
    return dim === undefined ? this.shape : this.shape[normalizeDim('size', dim, this.ndim)];
  }

  isFloatingPoint(): boolean {
    return isFloatingPoint(this.dtype);
  }

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

  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(value: boolean) {
    this.requiresGrad_(value);
  }

  get gradFn(): Node | null {
    return this._gradFn;
  }

  /** @internal Which output of gradFn this tensor is. */
  get outputNr(): number {
    return this._outputNr;
  }

  get isLeaf(): boolean {
    return this._gradFn === null;
  }

  /** @internal Makes this tensor output `index` of `node`. */
  attachHistory(node: Node, index: number): void {
    this._gradFn = node;
    this._outputNr = index;
    this._requiresGrad = true;
  }

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

  get retainsGrad(): boolean {
    return this._gradFn !== null && this._gradFn.retained.get(this._outputNr) === this;
  }

  /**
   * Computes the gradient of this tensor with respect to the graph leaves. A scalar needs no
   * `gradient` (it is taken as 1); any other tensor needs one of its own shape, as in torch.
   */
  backward(gradient?: Tensor, options: BackwardOptions = {}): void {
    if (!this._requiresGrad) {
      throw new Error('backward: the tensor does not require grad and has no gradFn');
    }
    let g: Tensor;
    if (gradient === undefined) {
      if (this.numel() !== 1) {
        throw new Error(
          `backward: grad can be implicitly created only for scalar outputs; this tensor has shape ${formatShape(this.shape)}, pass a gradient`,
        );
      }
      g = onesLike(this);
    } else {
      if (!sameShape(gradient.shape, this.shape)) {
        throw new Error(
          `backward: gradient of shape ${formatShape(gradient.shape)} does not match the tensor's shape ${formatShape(this.shape)}`,
        );
      }
      g = gradient.detach();
    }
    runBackward([this], [g], options.retainGraph ?? false);
  }

  /** A tensor sharing this one's data, cut from the graph. */
  detach(): Tensor {
    return this.alias();
  }

  /** @internal A new tensor object over the same storage, without history. */
  alias(): Tensor {
    return new Tensor(this.storage, this.shape, this.dtype, this.strides, this.offset);
  }

  // ---- reading --------------------------------------------------------------------------

  /** The elements in row-major order: the storage itself (no copy) when laid out so, else a copy. */
  dataSync(): Storage {
    const data = this.storage.data;
    if (!this.isContiguous()) return C.clone(this).storage.data;
    const n = this.numel();
    return this.offset === 0 && data.length === n ? data : data.subarray(this.offset, this.offset + n);
  }

  /** Elements as nested arrays (booleans for bool tensors), as torch's tolist(). */
  toArray(): NestedArray {
    return toNested(this.dataSync(), this.shape, this.dtype);
  }

  item(): number {
    if (this.numel() !== 1) {
      throw new Error(`item: a tensor with ${this.numel()} elements cannot be converted to a scalar`);
    }
    return this.storage.data[this.offset];
  }

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

  get isDisposed(): boolean {
    return this.storage.disposed;
  }

  // ---- conversion -------------------------------------------------------------------------

  to(dtype: DType): Tensor {
    return C.toDtype(this, dtype);
  }
  float(): Tensor {
    return C.toDtype(this, 'float32');
  }
  double(): Tensor {
    return C.toDtype(this, 'float64');
  }
  long(): Tensor {
    return C.toDtype(this, 'int64');
  }
  bool(): Tensor {
    return C.toDtype(this, 'bool');
  }
  clone(): Tensor {
    return C.clone(this);
  }
  contiguous(): Tensor {
    return this.isContiguous() ? this : C.clone(this);
  }

  // ---- elementwise ------------------------------------------------------------------------

  add(other: TensorOrScalar): Tensor {
    return E.add(this, other);
  }
  sub(other: TensorOrScalar): Tensor {
    return E.sub(this, other);
  }
  mul(other: TensorOrScalar): Tensor {
    return E.mul(this, other);
  }
  div(other: TensorOrScalar): Tensor {
    return E.div(this, other);
  }
  pow(exponent: TensorOrScalar): Tensor {
    return E.pow(this, exponent);
  }
  maximum(other: TensorOrScalar): Tensor {
    return E.maximum(this, other);
  }
  minimum(other: TensorOrScalar): Tensor {
    return E.minimum(this, other);
  }
  eq(other: TensorOrScalar): Tensor {
    return E.eq(this, other);
  }
  ne(other: TensorOrScalar): Tensor {
    return E.ne(this, other);
  }
  lt(other: TensorOrScalar): Tensor {
    return E.lt(this, other);
  }
  le(other: TensorOrScalar): Tensor {
    return E.le(this, other);
  }
  gt(other: TensorOrScalar): Tensor {
    return E.gt(this, other);
  }
  ge(other: TensorOrScalar): Tensor {
    return E.ge(this, other);
  }
  logicalAnd(other: TensorOrScalar): Tensor {
    return E.logicalAnd(this, other);
  }
  logicalOr(other: TensorOrScalar): Tensor {
    return E.logicalOr(this, other);
  }
  neg(): Tensor {
    return E.neg(this);
  }
  exp(): Tensor {
    return E.exp(this);
  }
  log(): Tensor {
    return E.log(this);
  }
  sqrt(): Tensor {
    return E.sqrt(this);
  }
  abs(): Tensor {
    return E.abs(this);
  }
  relu(): Tensor {
    return E.relu(this);
  }
  sigmoid(): Tensor {
    return E.sigmoid(this);
  }
  tanh(): Tensor {
    return E.tanh(this);
  }
  isnan(): Tensor {
    return E.isnan(this);
  }
  clamp(min?: number | null, max?: number | null): Tensor {
    return E.clamp(this, min, max);
  }
  /** torch's `x.where(condition, y)`: x where condition holds, else y. */
  where(condition: Tensor, other: TensorOrScalar): Tensor {
    return E.where(condition, this, other);
  }

  // ---- reductions -------------------------------------------------------------------------

  sum(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return R.sum(this, dim, keepdim);
  }
  mean(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return R.mean(this, dim, keepdim);
  }
  max(): Tensor;
  max(dim: number, keepdim?: boolean): ValuesIndices;
  max(other: Tensor): Tensor;
  max(arg?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
    return R.max(this, arg, keepdim);
  }
  min(): Tensor;
  min(dim: number, keepdim?: boolean): ValuesIndices;
  min(other: Tensor): Tensor;
  min(arg?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
    return R.min(this, arg, keepdim);
  }
  amax(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return R.amax(this, dim, keepdim);
  }
  amin(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return R.amin(this, dim, keepdim);
  }
  argmax(dim?: number | null, keepdim = false): Tensor {
    return R.argmax(this, dim, keepdim);
  }
  argmin(dim?: number | null, keepdim = false): Tensor {
    return R.argmin(this, dim, keepdim);
  }
  logsumexp(dim: number | readonly number[], keepdim = false): Tensor {
    return R.logsumexp(this, dim, keepdim);
  }
  var(dim?: number | readonly number[] | null, options: R.VarianceOptions = {}): Tensor {
    return R.variance(this, dim, options);
  }
  std(dim?: number | readonly number[] | null, options: R.VarianceOptions = {}): Tensor {
    return R.std(this, dim, options);
  }

  // ---- linear algebra, softmax ---------------------------------------------------------------

  matmul(other: Tensor): Tensor {
    return M.matmul(this, other);
  }
  softmax(dim: number): Tensor {
    return X.softmax(this, dim);
  }
  logSoftmax(dim: number): Tensor {
    return X.logSoftmax(this, dim);
  }

  // ---- shape ----------------------------------------------------------------------------------

  reshape(...shape: readonly number[] | [readonly number[]]): Tensor {
    return S.reshape(this, S.shapeArgs(shape));
  }
  view(...shape: readonly number[] | [readonly number[]]): Tensor {
    return S.view(this, S.shapeArgs(shape));
  }
  flatten(startDim = 0, endDim = -1): Tensor {
    return S.flatten(this, startDim, endDim);
  }
  squeeze(dim?: number | readonly number[]): Tensor {
    return S.squeeze(this, dim);
  }
  unsqueeze(dim: number): Tensor {
    return S.unsqueeze(this, dim);
  }
  transpose(dim0: number, dim1: number): Tensor {
    return S.transpose(this, dim0, dim1);
  }
  /** Transpose of a tensor of rank at most 2. */
  t(): Tensor {
    return S.t(this);
  }
  permute(...dims: readonly number[] | [readonly number[]]): Tensor {
    return S.permute(this, S.shapeArgs(dims));
  }
  expand(...shape: readonly number[] | [readonly number[]]): Tensor {
    return S.expand(this, S.shapeArgs(shape));
  }
  expandAs(other: Tensor): Tensor {
    return S.expand(this, other.shape);
  }
  narrow(dim: number, start: number, length: number): Tensor {
    return S.narrow(this, dim, start, length);
  }
  select(dim: number, index: number): Tensor {
    return S.select(this, dim, index);
  }
  /** Python's `x[..., start:end:step, ...]` along one dim. */
  slice(dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
    return S.slice(this, dim, start, end, step);
  }
  gather(dim: number, index: Tensor): Tensor {
    return I.gather(this, dim, index);
  }
  indexSelect(dim: number, index: Tensor): Tensor {
    return I.indexSelect(this, dim, index);
  }

  // ---- in place -------------------------------------------------------------------------------

  add_(other: TensorOrScalar): this {
    return P.inplace(this, 'add_', E.add, other);
  }
  sub_(other: TensorOrScalar): this {
    return P.inplace(this, 'sub_', E.sub, other);
  }
  mul_(other: TensorOrScalar): this {
    return P.inplace(this, 'mul_', E.mul, other);
  }
  div_(other: TensorOrScalar): this {
    return P.inplace(this, 'div_', E.div, other);
  }
  clamp_(min?: number | null, max?: number | null): this {
    return P.inplace(this, 'clamp_', (t) => E.clamp(t, min, max));
  }
  copy_(src: Tensor): this {
    return P.inplace(this, 'copy_', (t) => C.toDtype(src, t.dtype).expand(t.shape), src);
  }
  fill_(value: Scalar): this {
    return P.fill(this, value);
  }
  zero_(): this {
    return P.fill(this, 0);
  }
}
