import { cpuKernels } from './cpu';
import type { FastKernel, FastKernels, KernelName, Kernels } from './kernels';
import { createWasmBackend, loadWasmBackend } from './wasm';

/** The built-in backends' names. */
export type BackendName = 'cpu' | 'wasm';

/**
 * A backend: a name, the kernels it accelerates (the plain ones serve the rest), and, where its
 * kernels can use more than one thread, how many they may.
 */
export interface Backend {
  /** The backend's name, as useBackend takes it ('cpu', 'wasm'). */
  readonly name: string;
  /** The kernels this backend runs faster, each with its supports(); the others fall back to the plain ones. */
  readonly kernels: FastKernels;
  /** The most threads its kernels can use here (1 when absent). */
  maxThreads?(): number;
  /** Sets how many threads its kernels may use, where it has threads. */
  setThreads?(threads: number): void;
  /** How many threads its kernels may use now. */
  getThreads?(): number;
}

const cpu: Backend = { name: 'cpu', kernels: {} };
const backends = new Map<string, Backend>([['cpu', cpu]]);
let active: Backend = cpu;
let table: Kernels = cpuKernels;
/** Whether the program has picked a backend itself: a late wasm backend must not replace it. */
let chosen = false;

/** One kernel of `fast` that hands the calls its supports() refuses to the plain kernel. */
function withFallback<K extends KernelName>(name: K, fast: FastKernel<K>): Kernels[K] {
  type Call = (...args: unknown[]) => unknown;
  const run = fast.run as Call;
  const supports = fast.supports as (...args: unknown[]) => boolean;
  const plain = cpuKernels[name] as Call;
  return ((...args: unknown[]) => (supports(...args) ? run(...args) : plain(...args))) as Kernels[K];
}

function activate(backend: Backend): void {
  const next: Record<string, unknown> = { ...cpuKernels };
  for (const name of Object.keys(backend.kernels) as KernelName[]) {
    next[name] = withFallback(name, backend.kernels[name] as FastKernel<typeof name>);
  }
  active = backend;
  table = next as Kernels;
}

/** The kernels every op dispatches to: the active backend's, falling back to the plain ones. */
export function kernels(): Kernels {
  return table;
}

/**
 * Adds a backend that useBackend() can then select by name. It may accelerate any subset of the
 * kernels (see FastKernel); a backend of the same name is replaced.
 */
export function registerBackend(backend: Backend): void {
  if (backend.name === 'cpu') throw new Error("registerBackend: 'cpu' is the plain backend and cannot be replaced");
  backends.set(backend.name, backend);
  if (active.name === backend.name) activate(backend);
}

/** Selects a backend by name ('cpu', 'wasm', or one registered); throws for a name not available here. */
export function useBackend(name: string): void {
  const backend = backends.get(name);
  if (backend === undefined) {
    const hint = name === 'wasm' ? ': it needs WebAssembly SIMD, and where it compiles in the background, await ready() first' : '';
    throw new Error(`useBackend: the ${name} backend is not available (available: ${availableBackends().join(', ')})${hint}`);
  }
  chosen = true;
  activate(backend);
}

/** The name of the backend the ops run on. */
export function getBackend(): string {
  return active.name;
}

/**
 * The backends this platform can run: always 'cpu', and 'wasm' where WebAssembly SIMD works (once
 * ready() has resolved, where the wasm backend compiles in the background).
 */
export function availableBackends(): string[] {
  return [...backends.keys()];
}

/**
 * The wasm backend is the default where it compiles synchronously (Node, current browsers).
 * Elsewhere it compiles in the background and becomes the default when done, unless a backend
 * has been chosen meanwhile; the plain backend serves until then.
 */
function adoptWasm(backend: Backend | null): void {
  if (backend === null) return;
  backends.set('wasm', backend);
  if (!chosen) activate(backend);
}
const wasmNow = createWasmBackend();
adoptWasm(wasmNow);
const wasmLoaded: Promise<void> =
  wasmNow !== null
    ? Promise.resolve()
    : loadWasmBackend().then(
        adoptWasm,
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

/** The backends that run kernels on threads (the wasm GEMM, where worker threads exist). */
function threaded(): Backend[] {
  return [...backends.values()].filter((b) => b.setThreads !== undefined);
}

/**
 * How many threads kernels may use, as torch.set_num_threads. The wasm backend can use 2 where a
 * worker thread can share its memory (Node's worker threads, or a cross-origin isolated page's
 * Web Worker) on 2 or more cores, and does by default there, but only where measurement showed
 * the second thread pays: convolution passes of 2^20 multiply-adds or more and matrix products of
 * 2^24 or more. Once this is called, 2 splits every product or pass of 2^20 or more, and 1 keeps
 * all work on the calling thread. Results are the same bits either way.
 */
export function setNumThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`setNumThreads: expected a positive integer, got ${threads}`);
  for (const b of threaded()) b.setThreads?.(threads);
}

/** The threads kernels may use now, as torch.get_num_threads. */
export function getNumThreads(): number {
  return Math.max(1, ...threaded().map((b) => b.getThreads?.() ?? 1));
}

/** The most threads setNumThreads can give kernels on this machine and platform. */
export function maxNumThreads(): number {
  return Math.max(1, ...threaded().map((b) => b.maxThreads?.() ?? 1));
}
