export { version } from './instance';
export { Tensor } from './tensor/tensor';
export type { Scalar, TensorOrScalar, ValuesIndices } from './tensor/tensor';
export type { DType, Storage } from './dtype';
export { promoteTypes, isFloatingPoint } from './dtype';
export type { Shape } from './shape';
export { broadcastShapes, sameShape, formatShape } from './shape';
export type { NestedArray, TensorData } from './tensor/data';
export * from './tensor/creation';
export { Generator, manualSeed, defaultGenerator, getRngState, setRngState, initialSeed } from './tensor/random';

export { Function } from './autograd/function';
export type { Gradients } from './autograd/function';
export { Context } from './autograd/context';
export { Node } from './autograd/node';
export type { Edge } from './autograd/node';
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from './autograd/gradMode';
export { gradcheck } from './autograd/gradcheck';
import './autograd/backward';
export type { BackwardOptions } from './autograd/backward';
export type { GradcheckOptions, GradcheckResult, GradcheckMismatch } from './autograd/gradcheck';

export {
  add, sub, mul, div, pow, maximum, minimum, eq, ne, lt, le, gt, ge, logicalAnd, logicalOr, isnan,
  neg, exp, log, log1p, sqrt, abs, relu, sigmoid, tanh, clamp, where,
} from './ops/elementwise';
export { sum, mean, max, min, amax, amin, argmax, argmin, logsumexp, variance as var, std } from './ops/reduce';
export type { VarianceOptions, DimArg, Extremum } from './ops/reduce';
export * from './ops/activation';
export { matmul } from './ops/matmul';
export { linear } from './ops/linear';
export { softmax, logSoftmax } from './ops/softmax';
export {
  reshape, view, flatten, squeeze, unsqueeze, transpose, t, permute, expand, narrow, select, slice, cat, stack,
} from './ops/shape';
export { gather, indexSelect, index } from './ops/indexing';
export { unfold, fold } from './ops/unfold';
export type { Size1, Size2, WindowOptions } from './ops/unfold';
export { conv1d, conv2d, convTranspose2d } from './ops/conv';
export type { ConvOptions, Conv1dOptions, ConvTransposeOptions } from './ops/conv';
export { pad } from './ops/pad';
export { batchNorm, layerNorm, groupNorm } from './ops/normalization';
export type { BatchNormOptions, LayerNormOptions, GroupNormOptions } from './ops/normalization';
export { embedding } from './ops/embedding';
export type { PadMode, PadOptions } from './ops/pad';
export { maxPool1d, maxPool2d, avgPool1d, avgPool2d, adaptiveAvgPool1d, adaptiveAvgPool2d, adaptiveMaxPool2d } from './ops/pool';
export type { MaxPoolOptions, AvgPoolOptions, MaxPool1dOptions, AvgPool1dOptions, AdaptiveSize, MaxPool2dOverloads, AdaptiveMaxPool2dOverloads } from './ops/pool';
export { clone, checkDevice, isDType } from './ops/convert';
export { resultType } from './ops/util';
export { trace } from './autograd/trace';
export type { TracedCall } from './autograd/trace';
export { nllLoss } from './ops/loss/nllLoss';
export type { NLLLossOptions } from './ops/loss/nllLoss';
export { crossEntropy } from './ops/loss/crossEntropy';
export type { CrossEntropyOptions } from './ops/loss/crossEntropy';
export type { Reduction } from './ops/loss/reduction';
export {
  mseLoss, l1Loss, smoothL1Loss, huberLoss, binaryCrossEntropy, binaryCrossEntropyWithLogits, klDiv,
} from './ops/loss/elementwise';
export type { ElementwiseLossOptions, BinaryCrossEntropyOptions, KLDivOptions } from './ops/loss/elementwise';
export { sgdStep_, adamStep_, adadeltaStep_, rmspropStep_, adagradStep_, zeroGrad_ } from './ops/optim';
export type { SGDParamState, AdamParamState, AdadeltaParamState, RMSpropParamState, AdagradParamState } from './ops/optim';
import './ops/inplace';
export type { GeneratorOptions } from './ops/inplace';

export {
  kernels, registerBackend, useBackend, getBackend, availableBackends, ready, setNumThreads, getNumThreads, maxNumThreads,
  cpuKernels, createWasmBackend, loadWasmBackend,
} from './backend';
export type {
  Backend, BackendName, Kernels, KernelName, FastKernel, FastKernels, UnaryOp, BinaryOp, ReduceOp, ArgReduceOp,
  Strided, MatrixOperand, WindowGeometry, LossLayout, ChannelLayout, PoolWindows, AverageWindows, Mt19937State, ClassTargets, SGDHyper, AdamHyper, AdadeltaHyper, RMSpropHyper, AdagradHyper,
} from './backend';

export { checkOptions } from './options';
