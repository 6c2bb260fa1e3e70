import type { Backend } from '../registry';
import type { Arena } from './arena';
import { elementwiseKernels } from './elementwise';
import { Gemm } from './gemm';
import { createArena, loadArena, preferredBuild, startThreads, type KernelBuild } from './load';
import { optimKernels } from './optim';
import { reduceKernels } from './reduce';
import { softmaxKernels } from './softmax';
import { canUseSecondThread } from './threads';
import { windowKernels } from './windows';
import { convKernels } from './conv';
import { poolKernels } from './pool';
import { normalizationKernels } from './normalization';
import { randomKernels } from './random';

/**
 * The WebAssembly SIMD backend: float32 GEMM (on up to two threads), elementwise ops, column sums,
 * the softmax family, optimizer updates, im2col/col2im, convolutions, max and average pooling,
 * batch and layer norm, Bernoulli draws; every other call goes to the plain kernels.
 */
function backendOver(arena: Arena, build: KernelBuild): Backend {
  const gemm = new Gemm(arena, canUseSecondThread() ? () => startThreads(build) : null);
  return {
    name: 'wasm',
    kernels: {
      ...gemm.kernels(),
      ...elementwiseKernels(arena),
      ...reduceKernels(arena),
      ...softmaxKernels(arena),
      ...optimKernels(arena),
      ...windowKernels(arena),
      ...convKernels((work, sizes) => gemm.place(work, false, sizes)),
      ...poolKernels(arena),
      ...normalizationKernels(arena),
      ...randomKernels(arena),
    },
    setThreads: (threads) => gemm.setThreads(threads),
    getThreads: () => gemm.threads,
    maxThreads: () => (gemm.canThread ? 2 : 1),
  };
}

/**
 * The wasm backend on the given build of the kernels, compiled synchronously; null where
 * synchronous compilation is refused.
 */
export function createWasmBackendOf(build: KernelBuild): Backend | null {
  const arena = createArena(build);
  return arena === null ? null : backendOver(arena, build);
}

/**
 * The wasm backend, compiled synchronously; null where WebAssembly SIMD is missing or synchronous
 * compilation is refused (use loadWasmBackend() there). Its GEMM fuses multiply-adds where the
 * platform has relaxed SIMD.
 */
export function createWasmBackend(): Backend | null {
  const build = preferredBuild();
  return build === null ? null : createWasmBackendOf(build);
}

/** The wasm backend, compiled asynchronously; null where WebAssembly SIMD is missing. */
export async function loadWasmBackend(): Promise<Backend | null> {
  const build = preferredBuild();
  return build === null ? null : backendOver(await loadArena(build), build);
}
