// The WebAssembly kernels of @wick/core's wasm backend (AssemblyScript, compiled with SIMD by
// scripts/build-wasm.mjs).
export { packA, gemmPanels, gemmShared } from './gemm';
export { sgd, adam } from './optim';
export { binary, relu } from './elementwise';
export { sumMiddle } from './reduce';
export { softmaxRows, softmaxBackwardRows } from './softmax';
