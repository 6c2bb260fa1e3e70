export { Tensor } from './tensor/tensor';
export type { Scalar, TensorOrScalar, ValuesIndices, BackwardOptions } from './tensor/tensor';
export type { DType, Storage } from './dtype';
export { promoteTypes, isFloatingPoint } from './dtype';
export type { Shape } from './shape';
export { broadcastShapes, sameShape, formatShape } from './shape';
export type { NestedArray, TensorData } from './tensor/data';
export * from './tensor/creation';
export { Generator, manualSeed, defaultGenerator } from './tensor/random';

export { Function } from './autograd/function';
export type { Gradients } from './autograd/function';
export { Context } from './autograd/context';
export { Node } from './autograd/node';
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from './autograd/gradMode';
export { gradcheck } from './autograd/gradcheck';
export type { GradcheckOptions, GradcheckResult, GradcheckMismatch } from './autograd/gradcheck';

export {
  add, sub, mul, div, pow, maximum, minimum, eq, ne, lt, le, gt, ge, logicalAnd, logicalOr, isnan,
  neg, exp, log, sqrt, abs, relu, sigmoid, tanh, clamp, where,
} from './ops/elementwise';
export { sum, mean, max, min, amax, amin, argmax, argmin, logsumexp, variance as var, std } from './ops/reduce';
export type { VarianceOptions } from './ops/reduce';
export { matmul } from './ops/matmul';
export { linear } from './ops/linear';
export { softmax, logSoftmax } from './ops/softmax';
export {
  reshape, view, flatten, squeeze, unsqueeze, transpose, t, permute, expand, narrow, select, slice, cat, stack,
} from './ops/shape';
export { gather, indexSelect } from './ops/indexing';
export { clone } from './ops/convert';

export {
  getBackend, setBackend, useBackend, availableBackends, ready, cpuBackend, createWasmBackend, loadWasmBackend, setNumThreads, getNumThreads,
} from './backend';
export type { BackendName, WasmBackend } from './backend';
export type {
  Backend, Strided, MatrixOperand, UnaryOp, BinaryOp, ReduceOp, ArgReduceOp, LossLayout, ClassTargets, SGDHyper, AdamHyper,
} from './backend';

export * as testing from './testing';
