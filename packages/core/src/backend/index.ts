import type { Backend } from './backend';
import { cpuBackend } from './cpu';
import { createWasmBackend, loadWasmBackend, type WasmBackend } from './wasm';

export type {
  Backend, Strided, MatrixOperand, UnaryOp, BinaryOp, ReduceOp, ArgReduceOp, LossLayout, ClassTargets, SGDHyper, AdamHyper,
} from './backend';
export { cpuBackend, createWasmBackend, loadWasmBackend };
export type { WasmBackend } from './wasm';

export type BackendName = 'cpu' | 'wasm';

let wasm: WasmBackend | null = createWasmBackend();
/** WebAssembly SIMD where the platform has it, else the plain TypeScript kernels. */
let active: Backend = wasm === null ? cpuBackend : { ...cpuBackend, ...wasm };
/** Whether the program has picked a backend itself: a late wasm backend must not replace it. */
let chosen = false;

/**
 * Where the wasm backend could not be compiled synchronously (a browser that refuses it on the
 * main thread), it compiles in the background and becomes the default when done, unless a
 * backend has been chosen meanwhile; the plain backend serves until then.
 */
const wasmLoaded: Promise<void> =
  wasm !== null
    ? Promise.resolve()
    : loadWasmBackend().then(
        (loaded) => {
          wasm = loaded;
          if (loaded !== null && !chosen) active = { ...cpuBackend, ...loaded };
        },
        // A platform that cannot compile the module at all keeps the plain backend.
        () => undefined,
      );

/**
 * Resolves once the default backend is settled (as tf.ready()): at once in Node and current
 * browsers; after the background compilation where one was needed.
 */
export function ready(): Promise<void> {
  return wasmLoaded;
}

/** The backend every op dispatches to. */
export function getBackend(): Backend {
  return active;
}

/**
 * Installs a backend. It may implement only some kernels: the rest fall back to the plain
 * TypeScript ones, so a faster backend can grow op by op.
 */
export function setBackend(backend: Partial<Backend> & { name: string }): void {
  chosen = true;
  active = { ...cpuBackend, ...backend };
}

/**
 * The backends this platform can run: always 'cpu', and 'wasm' where WebAssembly SIMD works (once
 * ready() has resolved, where the wasm backend compiles in the background).
 */
export function availableBackends(): BackendName[] {
  return wasm === null ? ['cpu'] : ['cpu', 'wasm'];
}

/**
 * How many threads kernels may use, as torch.set_num_threads: the wasm GEMM splits large
 * products over 2 where Node's worker threads are available on 2 or more cores; elsewhere this stays 1.
 */
export function setNumThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`setNumThreads: expected a positive integer, got ${threads}`);
  wasm?.setThreads(threads);
}

export function getNumThreads(): number {
  return wasm?.getThreads() ?? 1;
}

/** Selects a backend by name; 'wasm' throws where WebAssembly SIMD is unavailable. */
export function useBackend(name: BackendName): void {
  if (name === 'cpu') setBackend(cpuBackend);
  else if (wasm !== null) setBackend(wasm);
  else throw new Error('useBackend: the wasm backend is not available: it needs WebAssembly SIMD, and where it compiles in the background, await ready() first');
}
