import { conv2dBackward, conv2dForward } from './conv';
import { copy, fill } from './copy';
import { binary, clamp, powScalar, reluBackward, unary, where } from './elementwise';
import { gather, indexAdd, indexSelect, scatterAdd } from './indexing';
import { crossEntropyBackward, crossEntropyForward, nllLossBackward, nllLossForward, softCrossEntropyBackward, softCrossEntropyForward } from './loss';
import { matmul } from './matmul';
import { bernoulli } from './mt19937';
import { batchNormBackward, channelAffine, channelStats, layerNormBackward, layerNormForward } from './normalization';
import { adaptiveMaxPool2dForward, averagePool2dBackward, averagePool2dForward, maxPool2dBackward, maxPool2dForward } from './pool';
import { adadeltaStep, adagradStep, adamStep, rmspropStep, sgdStep } from './optim';
import { argReduce, reduce } from './reduce';
import { softmax, softmaxBackward } from './softmax';
import { col2im, im2col } from './windows';

/**
 * The plain TypeScript kernels: every kernel Wick has, by name. They are the reference every
 * faster kernel is tested against and the fallback for whatever a faster one does not support.
 * The table's type is the kernel interface (Kernels in ../kernels.ts): adding a kernel is
 * writing its function and listing it here.
 */
export const cpuKernels = {
  /** Copies a strided source into a strided destination of the same shape (converting between dtypes' storage). */
  copy,
  /** Sets every element of a strided destination to one value. */
  fill,
  /** An elementwise function of one input (exp, log, relu, erf, ...) into a contiguous output. */
  unary,
  /** Elementwise clamp into [min, max] (either bound may be absent). */
  clamp,
  /** Elementwise x to a fixed number power. */
  powScalar,
  /** An elementwise function of two broadcast inputs (add, mul, comparisons, ...) into a contiguous output. */
  binary,
  /** Elementwise condition ? a : b over broadcast inputs. */
  where,
  /** ReLU's gradient: g where x > 0, else 0. */
  reluBackward,
  /** 1 where a uniform drawn from an mt19937 stream falls below p, else 0 (torch's bernoulli_(p)), advancing the stream. */
  bernoulli,
  /** Sum, mean, max, min, product or sum of squares over the given dims. */
  reduce,
  /** The values and first indices of the max or min along one dim. */
  argReduce,
  /** C = A B (each possibly transposed by its strides), plus an optional bias row: the GEMM. */
  matmul,
  /** Softmax or log-softmax along one dim, stable (the max subtracted first). */
  softmax,
  /** The gradient of softmax or log-softmax along one dim, from its output. */
  softmaxBackward,
  /** torch.gather: elements picked along a dim by an index tensor. */
  gather,
  /** gather's adjoint: values added into a zeroed output at the indices. */
  scatterAdd,
  /** Whole slices along a dim picked by a 1-D index. */
  indexSelect,
  /** indexSelect's adjoint: slices added into the output at the indices. */
  indexAdd,
  /** Unfolds image windows into columns (unfold). */
  im2col,
  /** Folds columns back into images, summing overlaps (fold, the adjoint of im2col). */
  col2im,
  /** A 2-D convolution of a batch in groups, image by image, without the batch's whole column matrix. */
  conv2dForward,
  /** A convolution's input, weight and bias gradients (those asked for) from its output gradient. */
  conv2dBackward,
  /** 2-D max pooling: each window's maximum and its index within the channel. */
  maxPool2dForward,
  /** Max pooling's gradient, plain or adaptive: each output gradient added at its maximum's index. */
  maxPool2dBackward,
  /** 2-D adaptive max pooling over separable windows: each window's maximum and its index within the channel. */
  adaptiveMaxPool2dForward,
  /** 2-D average pooling over separable windows with a divisor per position (avg and adaptive avg pooling). */
  averagePool2dForward,
  /** Average pooling's gradient: each output gradient spread evenly over its window. */
  averagePool2dBackward,
  /** Per-channel mean, invstd and biased variance (batch norm's statistics). */
  channelStats,
  /** x * scale + shift per channel (batch norm's normalization, scale and shift in one). */
  channelAffine,
  /** Batch norm's input, weight and bias gradients, in training or evaluation. */
  batchNormBackward,
  /** Layer norm's statistics of each row and its normalization by them, then the elementwise weight and bias. */
  layerNormForward,
  /** Layer norm's input, weight and bias gradients. */
  layerNormBackward,
  /** The negative log-likelihood loss of log-probabilities and class targets, per sample or reduced. */
  nllLossForward,
  /** The NLL loss's gradient with respect to the log-probabilities. */
  nllLossBackward,
  /** Cross-entropy of logits and class targets, with log-softmax fused (and label smoothing). */
  crossEntropyForward,
  /** Cross-entropy's gradient with respect to the logits. */
  crossEntropyBackward,
  /** Cross-entropy of logits and class probabilities (soft targets). */
  softCrossEntropyForward,
  /** Soft-target cross-entropy's gradient with respect to the logits. */
  softCrossEntropyBackward,
  /** One in-place SGD update of a parameter (momentum, dampening, Nesterov, weight decay), as torch's. */
  sgdStep,
  /** One in-place Adam or AdamW update of a parameter and its moments, as torch's. */
  adamStep,
  /** One in-place Adadelta update of a parameter and its running averages, as torch's. */
  adadeltaStep,
  /** One in-place RMSprop update of a parameter and its averages, as torch's. */
  rmspropStep,
  /** One in-place Adagrad update of a parameter and its sum of squares, as torch's. */
  adagradStep,
};

export type { UnaryOp, BinaryOp } from './elementwise';
export type { ReduceOp, ArgReduceOp } from './reduce';
