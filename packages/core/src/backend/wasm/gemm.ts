import type { Storage } from '../../dtype';
import { forEachBatch } from '../batches';
import type { FastKernels } from '../kernels';
import type { MatrixOperand } from '../types';
import { float32, type Arena } from './arena';
import type { KernelWorker, WorkerKernel } from './threads';

/** Work (multiply-adds) below which a product or convolution pass stays on one thread: the handoff would cost more. */
export const THREAD_MIN_WORK = 1 << 20;
/**
 * Until setNumThreads is called, products are split only from this size: in pnpm train the MLP's
 * products (6.4M multiply-adds) trained slower split, the worker spinning beside V8's background
 * threads on two cores, while the CNN's convolution passes and 75M products gain (BENCHMARKS.md).
 */
const DEFAULT_PRODUCT_MIN_WORK = 1 << 24;
/** Column panels (of 8) a thread claims at a time when two share a product. */
export const CHUNK = 4;

/** A shared-memory arena and the worker that shares each large GEMM in it. */
export interface Threaded {
  arena: Arena;
  worker: KernelWorker;
}

/** Where a kernel built on the GEMM runs: the shared arena with its worker (two threads), or the private one alone. */
export interface Placement {
  arena: Arena;
  worker: KernelWorker | null;
}

/**
 * Runs kernel(...args, ...own) on this thread and, with a worker, kernel(...args, ...theirs) on it
 * at the same time; the two claim the work from the int32 counter at `counter`, zeroed here.
 */
export function shareWork(p: Placement, kernel: WorkerKernel, counter: number, args: readonly number[], own: readonly number[], theirs: readonly number[]): void {
  p.arena.putInts([0], counter);
  p.worker?.begin(kernel, [...args, ...theirs]);
  (p.arena.kernels[kernel] as (...values: number[]) => void)(...args, ...own);
  p.worker?.finish();
}

/**
 * The packed 4x8 GEMM (assembly/gemm.ts) on float32 operands. Large products can be split over
 * two threads (see threads.ts) in a shared-memory instance; everything else runs in the private
 * one, whose copies are cheaper.
 */
export class Gemm {
  /** 1, or 2 to split large work with a worker thread: 2 by default where a worker can run. */
  threads: number;
  /** Whether setNumThreads chose the threads; until then only large products are split (DEFAULT_PRODUCT_MIN_WORK). */
  private chosen = false;
  private threaded: Threaded | null = null;

  constructor(
    private readonly local: Arena,
    private readonly startThreads: (() => Threaded | null) | null,
  ) {
    this.threads = startThreads === null ? 1 : 2;
  }

  /** Whether a second thread can be started here. */
  get canThread(): boolean {
    return this.startThreads !== null;
  }

  /** Sets the threads, as setNumThreads: 1, or 2 where a worker can run. */
  setThreads(threads: number): void {
    this.threads = Math.min(threads, this.canThread ? 2 : 1);
    this.chosen = true;
  }

  /**
   * Where `work` multiply-adds of a convolution pass or (with `product`) a matrix product run: the
   * shared arena and worker when two threads are set and the work is large enough (started on
   * first use; the shared arena alone until the worker runs, which gives the same bits), else the
   * private arena alone, whose copies are cheaper.
   */
  placement(work: number, product = false): Placement {
    const minWork = product && !this.chosen ? DEFAULT_PRODUCT_MIN_WORK : THREAD_MIN_WORK;
    if (this.threads === 1 || work < minWork || this.startThreads === null) return { arena: this.local, worker: null };
    this.threaded ??= this.startThreads();
    if (this.threaded === null) return { arena: this.local, worker: null };
    return this.threaded.worker.ready ? this.threaded : { arena: this.threaded.arena, worker: null };
  }

  /** The matmul kernel: float32 operands only. */
  kernels(): FastKernels {
    return {
      matmul: {
        supports: (a, b, bias, out) => float32(a.data, b.data, bias, out),
        run: (a, b, bias, out, batchShape, m, k, n) => this.matmul(a, b, bias, out, batchShape, m, k, n),
      },
    };
  }

  private matmul(
    a: MatrixOperand, b: MatrixOperand, bias: Storage | null, out: Storage, batchShape: readonly number[], m: number, k: number, n: number,
  ): void {
    const panels = Math.ceil(n / 8);
    const placement = this.placement(m * k * n, true);
    const split = placement.worker !== null && panels >= 4;
    const arena = split ? placement.arena : this.local;
    const worker = split ? placement.worker : null;
    // A row-major B of whole 8-column panels is read in place (see assembly/gemm.ts).
    const bInPlace = !b.transposed && n % 8 === 0;
    const packedASize = Math.ceil(m / 4) * 4 * k * 4;
    // Each thread packs its own copy of A and spills edge tiles to its own 128-byte scratch.
    const [aPtr, bPtr, cPtr, packedA, packedA2, packedB, scratch, scratch2, biasPtr, counter] = arena.layout([
      m * k * 4, k * n * 4, m * n * 4, packedASize, worker === null ? 0 : packedASize, bInPlace ? 0 : panels * 8 * k * 4, 128, 128, panels * 8 * 4, 4,
    ]);
    if (bias !== null) arena.putPadded(bias, n, panels * 8, biasPtr);
    const biasArg = bias === null ? 0 : biasPtr;
    const [aRs, aCs] = a.transposed ? [1, m] : [k, 1];
    const [bRs, bCs] = b.transposed ? [1, k] : [n, 1];
    const bPacked = bInPlace ? 0 : packedB;
    forEachBatch(batchShape, a, b, (t, ao, bo) => {
      arena.put(a.data, ao, m * k, aPtr);
      arena.put(b.data, bo, k * n, bPtr);
      const args = (packed: number, tile: number) => [aPtr, aRs, aCs, bPtr, bRs, bCs, biasArg, cPtr, m, k, n, packed, bPacked, counter, worker === null ? panels : CHUNK, tile];
      shareWork({ arena, worker }, 'gemmShared', counter, [], args(packedA, scratch), worker === null ? [] : args(packedA2, scratch2));
      arena.take(cPtr, m * n, out, t * m * n);
    });
  }
}
