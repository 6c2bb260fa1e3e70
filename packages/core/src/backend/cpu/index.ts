import { conv2dForward, conv2dInputGrad, conv2dWeightGrad } from './conv';
import { copy, fill } from './copy';
import { binary, clamp, powScalar, reluBackward, unary, where } from './elementwise';
import { gather, indexAdd, indexSelect, scatterAdd } from './indexing';
import { crossEntropyBackward, crossEntropyForward, nllLossBackward, nllLossForward, softCrossEntropyBackward, softCrossEntropyForward } from './loss';
import { matmul } from './matmul';
import { maxPool2dBackward, maxPool2dForward } from './pool';
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
  copy,
  fill,
  unary,
  clamp,
  powScalar,
  binary,
  where,
  reluBackward,
  reduce,
  argReduce,
  matmul,
  softmax,
  softmaxBackward,
  gather,
  scatterAdd,
  indexSelect,
  indexAdd,
  im2col,
  col2im,
  conv2dForward,
  conv2dWeightGrad,
  conv2dInputGrad,
  maxPool2dForward,
  maxPool2dBackward,
  nllLossForward,
  nllLossBackward,
  crossEntropyForward,
  crossEntropyBackward,
  softCrossEntropyForward,
  softCrossEntropyBackward,
  sgdStep,
  adamStep,
  adadeltaStep,
  rmspropStep,
  adagradStep,
};

export type { UnaryOp, BinaryOp } from './elementwise';
export type { ReduceOp, ArgReduceOp } from './reduce';
