import type { Storage } from '../dtype';

/** A strided window onto storage: element (i0, i1, ...) sits at offset + sum(ik * strides[k]). */
export interface Strided {
  readonly data: Storage;
  readonly offset: number;
  readonly strides: readonly number[];
}

/** A matrix operand of a batched GEMM: row-major, or read transposed without materialising. */
export interface MatrixOperand {
  readonly data: Storage;
  readonly offset: number;
  /** Distance between consecutive matrices of the batch (0 broadcasts one matrix). */
  readonly batchStrides: readonly number[];
  /** True when the stored matrix is the transpose of the logical one. */
  readonly transposed: boolean;
}

export type UnaryOp = 'neg' | 'exp' | 'log' | 'sqrt' | 'abs' | 'sign' | 'relu' | 'sigmoid' | 'tanh' | 'isnan';
export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'logicalAnd' | 'logicalOr';
export type ReduceOp = 'sum' | 'prod' | 'max' | 'min';
export type ArgReduceOp = 'max' | 'min';

/**
 * Everything that loops over elements. Ops (autograd) call these; kernels never see autograd.
 * Reductions and softmax view their input as (outer, size, inner), reducing the middle axis.
 */
export interface Backend {
  readonly name: string;
  /** Strided copy; with different storage types it converts (floats to int64 must be integral already). */
  copy(src: Strided, dst: Strided, shape: readonly number[]): void;
  fill(dst: Strided, shape: readonly number[], value: number): void;
  unary(op: UnaryOp, x: Storage, out: Storage): void;
  /** out = clamp(x, min, max); either bound may be NaN for "none". */
  clamp(x: Storage, min: number, max: number, out: Storage): void;
  /** out = x ** exponent */
  powScalar(x: Storage, exponent: number, out: Storage): void;
  /** Broadcasting binary op over `shape`, written contiguously into out. */
  binary(op: BinaryOp, a: Strided, b: Strided, shape: readonly number[], out: Storage): void;
  where(cond: Strided, a: Strided, b: Strided, shape: readonly number[], out: Storage): void;
  reduce(op: ReduceOp, x: Storage, outer: number, size: number, inner: number, out: Storage): void;
  argReduce(op: ArgReduceOp, x: Storage, outer: number, size: number, inner: number, values: Storage, indices: Storage): void;
  /** out[b] = A[b] @ B[b] for each batch index b over batchShape; A is m x k, B is k x n. */
  matmul(a: MatrixOperand, b: MatrixOperand, out: Storage, batchShape: readonly number[], m: number, k: number, n: number): void;
  softmax(x: Storage, outer: number, size: number, inner: number, out: Storage, log: boolean): void;
  /** Gradient of (log)softmax given its output y and upstream gradient gy. */
  softmaxBackward(y: Storage, gy: Storage, outer: number, size: number, inner: number, gx: Storage, log: boolean): void;
  /** out[o, j, i] = x[o, index[o, j, i], i]; x is (outer, size, inner), index (outer, indexSize, inner). */
  gather(x: Storage, index: Storage, outer: number, size: number, indexSize: number, inner: number, out: Storage): void;
  /** The adjoint of gather: out[o, index[o, j, i], i] += src[o, j, i]. */
  scatterAdd(src: Storage, index: Storage, outer: number, size: number, indexSize: number, inner: number, out: Storage): void;
  /** out[o, j, i] = x[o, index[j], i] */
  indexSelect(x: Storage, index: Storage, outer: number, size: number, inner: number, out: Storage): void;
  /** The adjoint of indexSelect: out[o, index[j], i] += src[o, j, i]. */
  indexAdd(src: Storage, index: Storage, outer: number, size: number, inner: number, out: Storage): void;
}
