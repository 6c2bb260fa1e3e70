/**
 * A second thread for the wasm GEMM, in Node (worker_threads): a worker instantiates the same
 * kernels over the same shared memory, and it and the main thread claim B's column panels from
 * a shared counter until none are left. Handoff goes through a control block of Int32s in that
 * memory: the worker spins on it for a while before sleeping, since waking a sleeping thread
 * costs more than a small product.
 */

/**
 * Byte offset of the control block: [sequence, the 6 arguments of packA, the 15 of gemmShared,
 * ..., done, ..., panel counter]. The worker packs its own copy of A, so neither thread waits for
 * the other to start, and both claim B's panels from the counter, so neither waits long at the end.
 */
export const CONTROL = 65536 - 256;
const DONE = 24;
/** Byte address of the shared panel counter gemmShared claims work from. */
export const PANEL_COUNTER = CONTROL + 4 * 28;
const WORKER_SPINS = 2_000_000;
const MAIN_SPINS = 1_000_000;
const WORKER_TIMEOUT_MS = 30_000;

const WORKER_SOURCE = `
const threads = 'node:worker_threads';
const { workerData } = require(threads);
const { module, memory, control, done, spins } = workerData;
const kernels = new WebAssembly.Instance(module, { env: { memory, abort() {} } }).exports;
const ctl = new Int32Array(memory.buffer, control, 32);
let seen = 0;
for (;;) {
  let n = 0;
  while (Atomics.load(ctl, 0) === seen) {
    if (++n > spins) {
      Atomics.wait(ctl, 0, seen);
      n = 0;
    }
  }
  seen = Atomics.load(ctl, 0);
  try {
    kernels.packA(ctl[1], ctl[2], ctl[3], ctl[4], ctl[5], ctl[6]);
    kernels.gemmShared(
      ctl[7], ctl[8], ctl[9], ctl[10], ctl[11], ctl[12], ctl[13], ctl[14], ctl[15], ctl[16], ctl[17], ctl[18], ctl[19], ctl[20], ctl[21],
    );
  } finally {
    Atomics.store(ctl, done, seen);
    Atomics.notify(ctl, done);
  }
}
`;

interface NodeWorker {
  unref(): void;
}
type WorkerConstructor = new (source: string, options: { eval: true; workerData: unknown }) => NodeWorker;

/**
 * A Node built-in module, or null outside Node, through process.getBuiltinModule: no require()
 * or import for bundlers to resolve, so browser bundles need no stub and Node bundles of either
 * module format keep their threads.
 */
function nodeModule<T>(name: 'node:worker_threads' | 'node:os'): T | null {
  if (typeof process === 'undefined' || typeof process.getBuiltinModule !== 'function') return null;
  return (process.getBuiltinModule(name) as T | undefined) ?? null;
}

/** node:worker_threads' Worker, or null outside Node (browsers keep to one thread). */
function workerConstructor(): WorkerConstructor | null {
  return nodeModule<{ Worker: WorkerConstructor }>('node:worker_threads')?.Worker ?? null;
}

/** Whether a second thread can help: Node, with worker threads, on more than one core. */
export function canUseSecondThread(): boolean {
  if (typeof SharedArrayBuffer !== 'function' || workerConstructor() === null) return false;
  const os = nodeModule<{ availableParallelism?: () => number; cpus(): unknown[] }>('node:os');
  return os !== null && (os.availableParallelism?.() ?? os.cpus().length) > 1;
}

export class GemmWorker {
  private readonly ctl: Int32Array;
  private sequence = 0;

  private constructor(memory: WebAssembly.Memory) {
    this.ctl = new Int32Array(memory.buffer, CONTROL, 32);
  }

  /** Starts the worker, or returns null where threads are unavailable. */
  static start(module: WebAssembly.Module, memory: WebAssembly.Memory): GemmWorker | null {
    const Worker = workerConstructor();
    if (Worker === null) return null;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module, memory, control: CONTROL, done: DONE, spins: WORKER_SPINS },
    });
    // An idle worker must not keep the process alive.
    worker.unref();
    return new GemmWorker(memory);
  }

  /**
   * Resets the panel counter and hands the worker packA(...packArgs) then
   * gemmShared(...panelArgs); returns at once.
   */
  begin(packArgs: readonly number[], panelArgs: readonly number[]): void {
    Atomics.store(this.ctl, (PANEL_COUNTER - CONTROL) / 4, 0);
    const args = [...packArgs, ...panelArgs];
    this.ctl.set(args, 1);
    Atomics.store(this.ctl, 0, ++this.sequence);
    Atomics.notify(this.ctl, 0, 1);
  }

  /**
   * Waits until the worker has finished what begin() handed it: spinning, then sleeping. A worker
   * that never answers (killed, out of memory) is an error, not a hang.
   */
  finish(): void {
    const started = Date.now();
    for (let n = 0; Atomics.load(this.ctl, DONE) !== this.sequence; n++) {
      if (n > MAIN_SPINS) {
        Atomics.wait(this.ctl, DONE, Atomics.load(this.ctl, DONE), 10);
        if (Date.now() - started > WORKER_TIMEOUT_MS) {
          throw new Error(`wasm GEMM: the worker thread did not finish within ${WORKER_TIMEOUT_MS / 1000} s; call setNumThreads(1) to work without it`);
        }
      }
    }
  }
}
