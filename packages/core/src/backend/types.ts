import type { Storage } from '../dtype';

/** A strided window onto storage: element (i0, i1, ...) sits at offset + sum(ik * strides[k]). */
export interface Strided {
  /** The storage holding the elements. */
  readonly data: Storage;
  /** Where the first element sits in data. */
  readonly offset: number;
  /** Elements to step in data per index of each dim. */
  readonly strides: readonly number[];
}

/** A matrix operand of a batched GEMM: row-major, or read transposed without materialising. */
export interface MatrixOperand {
  /** The storage holding the matrix (or batch of matrices). */
  readonly data: Storage;
  /** Where the first element sits in data. */
  readonly offset: number;
  /** Distance between consecutive matrices of the batch (0 broadcasts one matrix). */
  readonly batchStrides: readonly number[];
  /** True when the stored matrix is the transpose of the logical one. */
  readonly transposed: boolean;
}

/** How a loss kernel sees its input: (outer, classes, inner), the class dim in the middle. */
export interface LossLayout {
  /** The batch size N (the product of the dims before the class dim). */
  readonly outer: number;
  /** The number of classes C. */
  readonly classes: number;
  /** The product of the dims after the class dim (1 for (N, C) inputs). */
  readonly inner: number;
}

/** How a per-channel kernel sees its data: (outer, channels, inner), the channel dim in the middle. */
export interface ChannelLayout {
  /** The product of the dims before the channel dim (the batch size N). */
  readonly outer: number;
  /** The number of channels C. */
  readonly channels: number;
  /** The product of the dims after the channel dim (1 for (N, C) inputs). */
  readonly inner: number;
}

/**
 * Pooling windows over `planes` images of height x width, separable: output (oh, ow) of a plane
 * covers its rows [rows[2 oh], rows[2 oh + 1]) and columns [cols[2 ow], cols[2 ow + 1]) (inside
 * the image, never empty).
 */
export interface PoolWindows {
  /** Images pooled (batch times channels). */
  readonly planes: number;
  /** Each image's height. */
  readonly height: number;
  /** Each image's width. */
  readonly width: number;
  /** Output rows per image. */
  readonly outH: number;
  /** Output columns per image. */
  readonly outW: number;
  /** Each output row's first input row and the row after its last, in turn. */
  readonly rows: readonly number[];
  /** Each output column's first input column and the column after its last, in turn. */
  readonly cols: readonly number[];
}

/** Average pooling's windows (PoolWindows), each window's sum divided by divisors[oh * outW + ow]. */
export interface AverageWindows extends PoolWindows {
  /** What each output position's sum is divided by. */
  readonly divisors: readonly number[];
}

/** Class-index targets (one per sample, row-major over (outer, inner)) with their options. */
export interface ClassTargets {
  /** The class index of each sample (int64 values). */
  readonly target: Storage;
  /** Per-class weights, or null for all ones. */
  readonly weight: Storage | null;
  /** The target value that contributes nothing. */
  readonly ignoreIndex: number;
}

/** One SGD step's options, as torch.optim.SGD's (firstStep: the momentum buffer starts as the gradient). */
export interface SGDHyper {
  /** Learning rate. */
  readonly lr: number;
  /** Momentum factor. */
  readonly momentum: number;
  /** Dampening of the momentum. */
  readonly dampening: number;
  /** Whether the momentum is Nesterov's. */
  readonly nesterov: boolean;
  /** L2 penalty added to the gradient. */
  readonly weightDecay: number;
  /** Ascend instead of descend: the gradient's sign flipped. */
  readonly maximize: boolean;
  /** True on the step that creates the momentum buffer (it starts as the gradient). */
  readonly firstStep: boolean;
}

/** One Adam or AdamW step's options, as torch.optim.Adam's. */
export interface AdamHyper {
  /** Learning rate. */
  readonly lr: number;
  /** Decay rate of the first moment average. */
  readonly beta1: number;
  /** Decay rate of the second moment average. */
  readonly beta2: number;
  /** Added to the denominator for stability. */
  readonly eps: number;
  /** Weight decay (L2, or decoupled for AdamW). */
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
  /** Images in the batch (N). */
  readonly batch: number;
  /** Channels per image (C). */
  readonly channels: number;
  /** Input height (H). */
  readonly height: number;
  /** Input width (W). */
  readonly width: number;
  /** Kernel height. */
  readonly kernelH: number;
  /** Kernel width. */
  readonly kernelW: number;
  /** Zero padding above and below. */
  readonly padH: number;
  /** Zero padding left and right. */
  readonly padW: number;
  /** Vertical step between windows. */
  readonly strideH: number;
  /** Horizontal step between windows. */
  readonly strideW: number;
  /** Vertical spacing between kernel elements. */
  readonly dilationH: number;
  /** Horizontal spacing between kernel elements. */
  readonly dilationW: number;
  /** Output height. */
  readonly outH: number;
  /** Output width. */
  readonly outW: number;
}

/** One Adadelta step's options, as torch.optim.Adadelta's. */
export interface AdadeltaHyper {
  /** Learning rate (scales the delta). */
  readonly lr: number;
  /** Decay rate of the running averages. */
  readonly rho: number;
  /** Added inside the square roots for stability. */
  readonly eps: number;
  /** L2 penalty added to the gradient. */
  readonly weightDecay: number;
  /** Ascend instead of descend: the gradient's sign flipped. */
  readonly maximize: boolean;
}

/** One RMSprop step's options, as torch.optim.RMSprop's. */
export interface RMSpropHyper {
  /** Learning rate. */
  readonly lr: number;
  /** Decay rate of the squared-gradient average. */
  readonly alpha: number;
  /** Added to the denominator for stability. */
  readonly eps: number;
  /** L2 penalty added to the gradient. */
  readonly weightDecay: number;
  /** Momentum factor. */
  readonly momentum: number;
  /** Normalize by the estimated variance (the mean of squares minus the squared mean) instead. */
  readonly centered: boolean;
  /** Ascend instead of descending. */
  readonly maximize: boolean;
}

/** One Adagrad step's options, as torch.optim.Adagrad's; `step` counts this step (from 1). */
export interface AdagradHyper {
  /** Learning rate. */
  readonly lr: number;
  /** Decay of the learning rate with the step count. */
  readonly lrDecay: number;
  /** L2 penalty added to the gradient. */
  readonly weightDecay: number;
  /** Added to the denominator for stability. */
  readonly eps: number;
  /** Ascend instead of descending. */
  readonly maximize: boolean;
  /** The step count after this step. */
  readonly step: number;
}

/**
 * mt19937's state as torch's CPU generator keeps it (mt19937_data_pod): its 624 words, the draws
 * left before the next twist, and the next word to draw. Kernels that draw advance it in place.
 */
export interface Mt19937State {
  /** The 624 words. */
  readonly words: Uint32Array;
  /** Draws left before the next twist (1 means the next draw twists first). */
  left: number;
  /** Index of the next word to draw. */
  next: number;
}
