import type { Storage } from '../../dtype';
import { forEachBatch } from '../batches';
import type { FastKernels } from '../kernels';
import type { MatrixOperand } from '../types';
import { float32, type Arena } from './arena';
import type { KernelWorker, WorkerKernel } from './threads';

/** Work (multiply-adds) below which a product or convolution pass stays on one thread: the handoff would cost more. */
const THREAD_MIN_WORK = 1 << 20;
/**
 * Until setNumThreads is called, products are split only from this size: in pnpm train the MLP's
 * products (6.4M multiply-adds) trained slower split, the worker spinning beside V8's background
 * threads on two cores, while the CNN's convolution passes and 75M products gain (BENCHMARKS.md).
 */
const DEFAULT_PRODUCT_MIN_WORK = 1 << 24;
/** Column panels (of 8) a thread claims at a time when two share a product. */
const CHUNK = 4;

/** Bytes of A packed into 4-row panels (m rows, depth k). */
export const packedASize = (m: number, k: number) => Math.ceil(m / 4) * 4 * k * 4;
/** Bytes of B packed into 8-column panels (n columns, depth k). */
export const packedBSize = (n: number, k: number) => Math.ceil(n / 8) * 8 * k * 4;

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
  /** The shared arena and its worker: undefined until first needed, null where they cannot start. */
  private threaded: Threaded | null | undefined = undefined;

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
   * Places `work` multiply-adds of a convolution pass or (with `product`) a matrix product, and
   * lays out the buffers of the byte sizes `sizes(threads)` gives for that many threads: in the
   * shared arena with the worker when two threads are set, the work is large enough and the worker
   * runs (it is started on first use), else in the private arena alone, whose copies are cheaper.
   * The shared memory's maximum is fixed (1 GiB), so work whose buffers do not fit it runs in the
   * private arena on one thread instead. Results are the same bits either way.
   */
  place(work: number, product: boolean, sizes: (threads: number) => readonly number[]): { placement: Placement; pointers: number[] } {
    const minWork = product && !this.chosen ? DEFAULT_PRODUCT_MIN_WORK : THREAD_MIN_WORK;
    if (this.threads > 1 && work >= minWork && this.startThreads !== null) {
      if (this.threaded === undefined) this.threaded = this.startThreads();
      if (this.threaded?.worker.ready === true) {
        try {
          return { placement: this.threaded, pointers: this.threaded.arena.layout(sizes(2)) };
        } catch (e) {
          if (!(e instanceof RangeError)) throw e;
        }
      }
    }
    return { placement: { arena: this.local, worker: null }, pointers: this.local.layout(sizes(1)) };
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
    // A row-major B of whole 8-column panels is read in place (see assembly/gemm.ts).
    const bInPlace = !b.transposed && n % 8 === 0;
    const aBytes = packedASize(m, k);
    // Each thread packs its own copy of A and spills edge tiles to its own 128-byte scratch; a
    // product of fewer than 4 column panels stays on one thread.
    const { placement, pointers } = this.place(panels >= 4 ? m * k * n : 0, true, (threads) => [
      m * k * 4, k * n * 4, m * n * 4, aBytes, threads === 2 ? aBytes : 0, bInPlace ? 0 : packedBSize(n, k), 128, 128, panels * 8 * 4, 4,
    ]);
    const { arena, worker } = placement;
    const [aPtr, bPtr, cPtr, packedA, packedA2, packedB, scratch, scratch2, biasPtr, counter] = pointers;
    if (bias !== null) arena.putPadded(bias, n, panels * 8, biasPtr);
    const biasArg = bias === null ? 0 : biasPtr;
    const [aRs, aCs] = a.transposed ? [1, m] : [k, 1];
    const [bRs, bCs] = b.transposed ? [1, k] : [n, 1];
    const bPacked = bInPlace ? 0 : packedB;
    // Each thread's arguments: all alike but for its packed A and scratch tile.
    const args = (packed: number, tile: number) => [aPtr, aRs, aCs, bPtr, bRs, bCs, biasArg, cPtr, m, k, n, packed, bPacked, counter, worker === null ? panels : CHUNK, tile];
    const [own, theirs] = [args(packedA, scratch), worker === null ? [] : args(packedA2, scratch2)];
    forEachBatch(batchShape, a, b, (t, ao, bo) => {
      arena.put(a.data, ao, m * k, aPtr);
      arena.put(b.data, bo, k * n, bPtr);
      shareWork(placement, 'gemmShared', counter, [], own, theirs);
      arena.take(cPtr, m * n, out, t * m * n);
    });
  }
}
