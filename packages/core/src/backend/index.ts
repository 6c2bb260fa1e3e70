export { kernels, registerBackend, useBackend, getBackend, availableBackends, ready, setNumThreads, getNumThreads, maxNumThreads } from './registry';
export type { Backend, BackendName } from './registry';
export type { Kernels, KernelName, FastKernel, FastKernels } from './kernels';
export type { UnaryOp, BinaryOp, ReduceOp, ArgReduceOp } from './cpu';
export type { Strided, MatrixOperand, LossLayout, ChannelLayout, PoolWindows, AverageWindows, ClassTargets, SGDHyper, AdamHyper, AdadeltaHyper, RMSpropHyper, AdagradHyper, WindowGeometry, Mt19937State } from './types';
export { cpuKernels } from './cpu';
export { createWasmBackend, loadWasmBackend } from './wasm';
