import type { Backend } from './backend';
import { cpuBackend } from './cpu';
import { createWasmBackend } from './wasm';

export type {
  Backend, Strided, MatrixOperand, UnaryOp, BinaryOp, ReduceOp, ArgReduceOp, LossLayout, ClassTargets, SGDHyper, AdamHyper,
} from './backend';
export { cpuBackend, createWasmBackend };

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

/** Selects a backend by name; 'wasm' throws where WebAssembly SIMD is unavailable. */
export function useBackend(name: BackendName): void {
  if (name === 'cpu') setBackend(cpuBackend);
  else if (wasm === null) throw new Error('useBackend: the wasm backend needs WebAssembly SIMD, which this platform lacks');
  else setBackend(wasm);
}
