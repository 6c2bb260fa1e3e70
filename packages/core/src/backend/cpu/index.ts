import type { Backend } from '../backend';
import { copy, fill } from './copy';
import { binary, clamp, powScalar, unary, where } from './elementwise';
import { gather, indexAdd, indexSelect, scatterAdd } from './indexing';
import { crossEntropyBackward, crossEntropyForward, nllLossBackward, nllLossForward, softCrossEntropyBackward, softCrossEntropyForward } from './loss';
import { matmul } from './matmul';
import { adamStep, sgdStep } from './optim';
import { argReduce, reduce } from './reduce';
import { softmax, softmaxBackward } from './softmax';

/** The plain TypeScript backend: the reference, and the fallback for any faster one. */
export const cpuBackend: Backend = {
  name: 'cpu',
  copy,
  fill,
  unary,
  clamp,
  powScalar,
  binary,
  where,
  reduce,
  argReduce,
  matmul,
  softmax,
  softmaxBackward,
  gather,
  scatterAdd,
  indexSelect,
  indexAdd,
  nllLossForward,
  nllLossBackward,
  crossEntropyForward,
  crossEntropyBackward,
  softCrossEntropyForward,
  softCrossEntropyBackward,
  sgdStep,
  adamStep,
};
