import type { Backend } from './backend';
import { cpuBackend } from './cpu';

export type {
  Backend, Strided, MatrixOperand, UnaryOp, BinaryOp, ReduceOp, ArgReduceOp, LossLayout, ClassTargets, SGDHyper, AdamHyper,
} from './backend';
export { cpuBackend };

let active: Backend = cpuBackend;

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
