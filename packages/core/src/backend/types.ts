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

/** One SGD step's options, as torch.optim.SGD's (firstStep: the momentum buffer starts as the gradient). */
export interface SGDHyper {
  readonly lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  /** Ascend instead of descend: the gradient's sign flipped. */
  readonly maximize: boolean;
  /** True on the step that creates the momentum buffer (it starts as the gradient). */
  readonly firstStep: boolean;
}

/** One Adam or AdamW step's options, as torch.optim.Adam's. */
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

/**
 * The sliding windows of a 2-D convolution (im2col/col2im): a (batch, channels, height, width)
 * image seen as (batch, channels * kernelH * kernelW, outH * outW) columns, zero outside it.
 */
export interface WindowGeometry {
  readonly batch: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly kernelH: number;
  readonly kernelW: number;
  readonly padH: number;
  readonly padW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly outH: number;
  readonly outW: number;
}

/** One Adadelta step's options, as torch.optim.Adadelta's. */
export interface AdadeltaHyper {
  readonly lr: number;
  readonly rho: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** Ascend instead of descend: the gradient's sign flipped. */
  readonly maximize: boolean;
}

/** One RMSprop step's options, as torch.optim.RMSprop's. */
export interface RMSpropHyper {
  readonly lr: number;
  readonly alpha: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly momentum: number;
  /** Normalize by the estimated variance (the mean of squares minus the squared mean) instead. */
  readonly centered: boolean;
  readonly maximize: boolean;
}

/** One Adagrad step's options, as torch.optim.Adagrad's; `step` counts this step (from 1). */
export interface AdagradHyper {
  readonly lr: number;
  readonly lrDecay: number;
  readonly weightDecay: number;
  readonly eps: number;
  readonly maximize: boolean;
  readonly step: number;
}
