/**
 * A second thread for the wasm kernels: in Node a worker_threads worker, in a browser's Web Worker
 * (on a cross-origin isolated page) a nested Web Worker. It instantiates the same kernels over the
 * same shared memory and runs the kernel it is handed beside the calling thread; the two claim
 * the work from a shared counter (assembly/claim.ts) until none is left. Handoff goes through a
 * control block of Int32s in that memory: the worker spins on it for a while before sleeping,
 * since waking a sleeping thread costs more than a small product.
 */

/** The kernels a worker runs: a GEMM's second share, and the convolution passes (assembly/conv.ts). */
const WORKER_KERNELS = ['gemmShared', 'convForwardShared', 'convInputGradShared', 'convWeightGradShared'] as const;
/** The name of a kernel the worker can run. */
export type WorkerKernel = (typeof WORKER_KERNELS)[number];

/** Byte offset of the control block: [sequence, kernel, argument count, arguments..., done, started, failed]. */
const CONTROL = 65536 - 256;
const ARGUMENTS = 3;
const MAX_ARGUMENTS = 40;
const DONE = ARGUMENTS + MAX_ARGUMENTS;
/** Set to 1 by the worker once it runs: until then the caller works alone. */
const STARTED = DONE + 1;
/** The sequence number of the last task whose kernel threw (a trap) in the worker. */
const FAILED = STARTED + 1;
const CONTROL_INTS = 64;
const WORKER_SPINS = 2_000_000;
const MAIN_SPINS = 1_000_000;
const WORKER_TIMEOUT_MS = 30_000;

/** The worker's loop, given { module, memory, control, done, started, failed, spins, names }. */
const WORKER_LOOP = `
function serve({ module, memory, control, done, started, failed, spins, names }) {
  const kernels = new WebAssembly.Instance(module, { env: { memory, abort() {} } }).exports;
  const ctl = new Int32Array(memory.buffer, control, ${CONTROL_INTS});
  Atomics.store(ctl, started, 1);
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
      kernels[names[ctl[1]]](...ctl.subarray(${ARGUMENTS}, ${ARGUMENTS} + ctl[2]));
    } catch {
      Atomics.store(ctl, failed, seen);
    } finally {
      Atomics.store(ctl, done, seen);
      Atomics.notify(ctl, done);
    }
  }
}
`;

/** Node's worker: the loop on the data it is started with. */
const NODE_WORKER_SOURCE = `${WORKER_LOOP}
const threads = 'node:worker_threads';
serve(require(threads).workerData);
`;

/** A browser's worker: the loop on the first message it is sent. */
const BROWSER_WORKER_SOURCE = `${WORKER_LOOP}
self.onmessage = (event) => serve(event.data);
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
export function nodeModule<T>(name: 'node:worker_threads' | 'node:os' | 'node:v8'): T | null {
  if (typeof process === 'undefined' || typeof process.getBuiltinModule !== 'function') return null;
  return (process.getBuiltinModule(name) as T | undefined) ?? null;
}

/** node:worker_threads' Worker, or null outside Node (browsers keep to one thread). */
function workerConstructor(): WorkerConstructor | null {
  return nodeModule<{ Worker: WorkerConstructor }>('node:worker_threads')?.Worker ?? null;
}

/**
 * The browser's Worker where a nested worker can share memory with this thread and this thread
 * may block on it: inside a Web Worker of a cross-origin isolated page. (A page's main thread may
 * not block, so it keeps to one thread.)
 */
function browserWorker(): (new (url: string) => { postMessage(data: unknown): void }) | null {
  const scope = globalThis as {
    Worker?: new (url: string) => { postMessage(data: unknown): void };
    crossOriginIsolated?: boolean;
    importScripts?: unknown;
  };
  return typeof scope.Worker === 'function' && scope.crossOriginIsolated === true && typeof scope.importScripts === 'function' ? scope.Worker : null;
}

/** How many cores this machine has, as Node or the browser reports them. */
function cores(): number {
  const os = nodeModule<{ availableParallelism?: () => number; cpus(): unknown[] }>('node:os');
  if (os !== null) return os.availableParallelism?.() ?? os.cpus().length;
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
}

/** Whether a second thread can help: Node's worker threads or a browser worker's, on more than one core. */
export function canUseSecondThread(): boolean {
  if (typeof SharedArrayBuffer !== 'function' || (workerConstructor() === null && browserWorker() === null)) return false;
  return cores() > 1;
}

/** The second thread, as the calling thread sees it: hand it a kernel, then wait for it. */
export class KernelWorker {
  private readonly ctl: Int32Array;
  private sequence = 0;
  private kernel: WorkerKernel | null = null;

  private constructor(memory: WebAssembly.Memory) {
    this.ctl = new Int32Array(memory.buffer, CONTROL, CONTROL_INTS);
  }

  /** Starts the worker, or returns null where threads are unavailable. */
  static start(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelWorker | null {
    const data = { module, memory, control: CONTROL, done: DONE, started: STARTED, failed: FAILED, spins: WORKER_SPINS, names: WORKER_KERNELS };
    const NodeWorker = workerConstructor();
    if (NodeWorker !== null) {
      const worker = new NodeWorker(NODE_WORKER_SOURCE, { eval: true, workerData: data });
      // An idle worker must not keep the process alive.
      worker.unref();
      return new KernelWorker(memory);
    }
    const BrowserWorker = browserWorker();
    if (BrowserWorker === null) return null;
    const url = URL.createObjectURL(new Blob([BROWSER_WORKER_SOURCE], { type: 'text/javascript' }));
    new BrowserWorker(url).postMessage(data);
    return new KernelWorker(memory);
  }

  /**
   * Whether the worker runs yet. A browser starts a worker only when the thread that made it
   * returns to its event loop, so products wait for this rather than for the worker.
   */
  get ready(): boolean {
    return Atomics.load(this.ctl, STARTED) === 1;
  }

  /** Hands the worker kernel(...args); returns at once. */
  begin(kernel: WorkerKernel, args: readonly number[]): void {
    if (args.length > MAX_ARGUMENTS) throw new Error(`wasm worker: ${kernel} takes ${args.length} arguments, at most ${MAX_ARGUMENTS} fit the control block`);
    this.kernel = kernel;
    this.ctl[1] = WORKER_KERNELS.indexOf(kernel);
    this.ctl[2] = args.length;
    this.ctl.set(args, ARGUMENTS);
    Atomics.store(this.ctl, 0, ++this.sequence);
    Atomics.notify(this.ctl, 0, 1);
  }

  /**
   * Waits until the worker has finished what begin() handed it: spinning, then sleeping. A worker
   * that never answers (killed, out of memory) is an error, not a hang, and a kernel that failed
   * in it an error, not a result with its share missing.
   */
  finish(): void {
    const started = Date.now();
    for (let n = 0; Atomics.load(this.ctl, DONE) !== this.sequence; n++) {
      if (n > MAIN_SPINS) {
        Atomics.wait(this.ctl, DONE, Atomics.load(this.ctl, DONE), 10);
        if (Date.now() - started > WORKER_TIMEOUT_MS) {
          throw new Error(`wasm worker thread: ${this.kernel} did not finish within ${WORKER_TIMEOUT_MS / 1000} s; call setNumThreads(1) to work without it`);
        }
      }
    }
    if (Atomics.load(this.ctl, FAILED) === this.sequence) {
      throw new Error(`wasm worker thread: ${this.kernel} failed (the kernel trapped), so its result is incomplete; call setNumThreads(1) to work without it`);
    }
  }
}
