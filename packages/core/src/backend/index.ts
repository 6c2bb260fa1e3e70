import type { Backend } from './backend';
import { cpuBackend } from './cpu';
import { createWasmBackend } from './wasm';

export type {
  Backend, Strided, MatrixOperand, UnaryOp, BinaryOp, ReduceOp, ArgReduceOp, LossLayout, ClassTargets, SGDHyper, AdamHyper,
} from './backend';
export { cpuBackend, createWasmBackend };
export type { WasmBackend } from './wasm';

export type BackendName = 'cpu' | 'wasm';

const wasm = createWasmBackend();
/** WebAssembly SIMD where the platform has it, else the plain TypeScript kernels. */
let active: Backend = wasm === null ? cpuBackend : { ...cpuBackend, ...wasm };

/** The backend every op dispatches to. */
export function getBackend(): Backend {
  return active;
}

/**
 * Installs a backend. It may implement only some kernels: the rest fall back to the plain
 * TypeScript ones, so a faster backend can grow op by op.
 */
export function setBackend(backend: Partial<Backend> & { name: string }): void {
  active = { ...cpuBackend, ...backend };
}

/** The backends this platform can run: always 'cpu', and 'wasm' where WebAssembly SIMD works. */
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
  else if (wasm === null) throw new Error('useBackend: the wasm backend needs WebAssembly SIMD, which this platform lacks');
  else setBackend(wasm);
}
