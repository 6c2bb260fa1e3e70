// The WebAssembly kernels of @wick/core's wasm backend (AssemblyScript, compiled with SIMD by
// scripts/build-wasm.mjs). Every export is a kernel; the build writes their signatures into
// src/backend/wasm/kernelsModule.ts, where the wasm backend finds unary_<op> and binary_<op> by name.
export * from './gemm';
export * from './optim';
export * from './elementwise';
export * from './unary';
export * from './reduce';
export * from './softmax';
export * from './windows';
export * from './pool';
export * from './conv';
export * from './normalization';
export * from './random';
