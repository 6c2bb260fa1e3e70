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

/** How a loss kernel sees its input: (outer, classes, inner), the class dim in the middle. */
export interface LossLayout {
  readonly outer: number;
  readonly classes: number;
  readonly inner: number;
}

/** Class-index targets (one per sample, row-major over (outer, inner)) with their options. */
export interface ClassTargets {
  readonly target: Storage;
  /** Per-class weights, or null for all ones. */
  readonly weight: Storage | null;
  readonly ignoreIndex: number;
}

export interface SGDHyper {
  readonly lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  /** True on the step that creates the momentum buffer (it starts as the gradient). */
  readonly firstStep: boolean;
}

export interface AdamHyper {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** AdamW's decay of the parameter itself instead of an L2 term in the gradient. */
  readonly decoupledWeightDecay: boolean;
  /** The step number, from 1. */
  readonly step: number;
}

export type UnaryOp = 'neg' | 'exp' | 'log' | 'sqrt' | 'abs' | 'sign' | 'relu' | 'sigmoid' | 'tanh' | 'isnan';
export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'logicalAnd' | 'logicalOr'
  /** a where b > 0, else 0: ReLU's backward, g masked by the output. */
  | 'maskPositive';
export type ReduceOp = 'sum' | 'max' | 'min';
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
  /**
   * out[b] = A[b] @ B[b] (+ bias on every row) for each batch index b over batchShape; A is
   * m x k, B is k x n, bias null or n contiguous values.
   */
  matmul(
    a: MatrixOperand, b: MatrixOperand, bias: Storage | null, out: Storage, batchShape: readonly number[], m: number, k: number, n: number,
  ): void;
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

  // Fused loss kernels (formulas beside the plain implementations in cpu/loss.ts). Forward kernels
  // write per-sample losses; class-index ones return the summed weight of the kept targets.
  nllLossForward(x: Storage, targets: ClassTargets, layout: LossLayout, loss: Storage): number;
  nllLossBackward(targets: ClassTargets, layout: LossLayout, scale: Storage, gx: Storage): void;
  crossEntropyForward(x: Storage, targets: ClassTargets, layout: LossLayout, labelSmoothing: number, loss: Storage, probs: Storage): number;
  crossEntropyBackward(probs: Storage, targets: ClassTargets, layout: LossLayout, labelSmoothing: number, scale: Storage, gx: Storage): void;
  softCrossEntropyForward(
    x: Storage, target: Storage, weight: Storage | null, layout: LossLayout, labelSmoothing: number, loss: Storage, lse: Storage,
  ): void;
  softCrossEntropyBackward(
    x: Storage, lse: Storage, target: Storage, weight: Storage | null, layout: LossLayout, labelSmoothing: number,
    scale: Storage, gx: Storage | null, gt: Storage | null,
  ): void;

  // Optimizer updates, in place on parameter and state storage.
  sgdStep(param: Storage, grad: Storage, momentumBuffer: Storage | null, hyper: SGDHyper): void;
  adamStep(param: Storage, grad: Storage, expAvg: Storage, expAvgSq: Storage, maxExpAvgSq: Storage | null, hyper: AdamHyper): void;
}
