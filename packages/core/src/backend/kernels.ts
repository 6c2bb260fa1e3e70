import type { cpuKernels } from './cpu';

/** Every kernel by name, with the plain backend's signature: the table in cpu/index.ts is the interface. */
export type Kernels = typeof cpuKernels;

/** A kernel's name. */
export type KernelName = keyof Kernels;

/**
 * A faster implementation of one kernel for the calls supports() accepts (a dtype, a layout, an
 * op it has code for); every other call goes to the plain kernel, so no fast kernel repeats the
 * fallback.
 */
export interface FastKernel<K extends KernelName> {
  /** Whether this kernel handles these arguments; where it does not, the plain kernel runs. */
  supports(...args: Parameters<Kernels[K]>): boolean;
  /** The kernel itself, with the plain kernel's signature. */
  run: Kernels[K];
}

/** The kernels a backend accelerates, by name; it need not have all of them. */
export type FastKernels = { readonly [K in KernelName]?: FastKernel<K> };
