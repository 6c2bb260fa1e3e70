import type { Storage } from '../../dtype';
import type { AdamHyper, Backend, BinaryOp, ClassTargets, LossLayout, MatrixOperand, ReduceOp, SGDHyper, Strided, UnaryOp } from '../backend';
import { forEachBatch } from '../batches';
import { cpuBackend } from '../cpu';
import { crossEntropyLosses } from '../cpu/loss';
import { isDense } from '../../shape';
import { KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64 } from './kernelsModule';
import { GemmWorker, PANEL_COUNTER, canUseSecondThread } from './threads';

/** The exports of packages/core/assembly (pointers are byte offsets into memory). */
interface KernelExports {
  memory?: WebAssembly.Memory;
  packA(a: number, m: number, k: number, rowStride: number, colStride: number, packedA: number): void;
  gemmPanels(
    b: number, bRowStride: number, bColStride: number, bias: number,
    c: number, m: number, k: number, n: number,
    a: number, aPanelStride: number, aStep: number, packedB: number, panelStart: number, panelEnd: number, scratch: number,
  ): void;
  gemmShared(
    b: number, bRowStride: number, bColStride: number, bias: number,
    c: number, m: number, k: number, n: number,
    a: number, aPanelStride: number, aStep: number, packedB: number, counter: number, chunk: number, scratch: number,
  ): void;
  sgd(
    p: number, g: number, buf: number, n: number,
    lr: number, momentum: number, dampening: number, nesterov: number, weightDecay: number, firstStep: number,
  ): void;
  binary(op: number, a: number, b: number, bScalar: number, out: number, n: number): void;
  relu(x: number, out: number, n: number): void;
  sumMiddle(x: number, outer: number, size: number, inner: number, out: number): void;
  softmaxRows(x: number, rows: number, size: number, out: number, log: number, lse: number): void;
  softmaxBackwardRows(y: number, gy: number, rows: number, size: number, gx: number, log: number): void;
  adam(
    p: number, g: number, m: number, v: number, vmax: number, n: number,
    lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, decoupled: number, stepSize: number, bc2Sqrt: number,
  ): void;
}

/** Where our buffers start: page 0 is left to the module (and the threads' control block). */
const HEAP_BASE = 65536;
const PAGE = 65536;
/** Products smaller than this many multiply-adds stay on one thread: the handoff would cost more. */
const THREAD_MIN_WORK = 1 << 20;
/** Column panels (of 8) a thread claims at a time when two share a product. */
const CHUNK = 4;

const align = (bytes: number) => (bytes + 15) & ~15;

/** The binary ops assembly/elementwise.ts implements, by the codes it takes. */
const BINARY_CODES: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3, maskPositive: 4 };

/** Whether every array given is float32 (null, an absent operand, passes). */
function float32(...arrays: (Storage | null)[]): boolean {
  return arrays.every((a) => a === null || a instanceof Float32Array);
}

/**
 * `count` values of data from `from` that a kernel reads ('in'), writes ('out') or updates in
 * place ('inout'): float32, or float64 for a Float64Array.
 */
type Span = readonly [data: Storage, from: number, count: number, direction: 'in' | 'out' | 'inout'];

function decode(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/**
 * An instance of the kernels and its memory, with buffers laid out per call from HEAP_BASE.
 * Operands are copied in and results out (about 7% of a training step). Tensors keep ordinary JS
 * storage, which the garbage collector frees: storage inside the module's memory could only be
 * freed by hand, since neither a finalizer nor a WeakRef lets go of anything before a synchronous
 * training loop returns to the event loop.
 */
class Arena {
  private heap: Float32Array;
  private heap64: Float64Array;

  constructor(
    readonly kernels: KernelExports,
    private readonly memory: WebAssembly.Memory,
  ) {
    this.heap = new Float32Array(memory.buffer);
    this.heap64 = new Float64Array(memory.buffer);
  }

  /** Pointers to buffers of the given byte sizes (16-byte aligned), growing memory as needed. */
  layout(sizes: readonly number[]): number[] {
    let at = HEAP_BASE;
    const pointers = sizes.map((size) => {
      const p = at;
      at += align(size);
      return p;
    });
    if (this.memory.buffer.byteLength < at) this.memory.grow(Math.ceil((at - this.memory.buffer.byteLength) / PAGE));
    // Growing replaces the buffer (and detaches it, unless shared): refresh the views.
    if (this.heap.buffer !== this.memory.buffer) {
      this.heap = new Float32Array(this.memory.buffer);
      this.heap64 = new Float64Array(this.memory.buffer);
    }
    return pointers;
  }

  /**
   * Lays out a buffer per span, copies in those the kernel reads, runs it on their pointers (in
   * the spans' order), and copies out those it writes.
   */
  run(spans: readonly Span[], kernel: (pointers: number[]) => void): void {
    const pointers = this.layout(spans.map(([data, , count]) => count * data.BYTES_PER_ELEMENT));
    spans.forEach(([data, from, count, direction], i) => {
      if (direction !== 'out') this.put(data, from, count, pointers[i]);
    });
    kernel(pointers);
    spans.forEach(([data, from, count, direction], i) => {
      if (direction !== 'in') this.take(pointers[i], count, data, from);
    });
  }

  private view(data: Storage): Float32Array | Float64Array {
    return data instanceof Float64Array ? this.heap64 : this.heap;
  }

  put(data: Storage, from: number, count: number, pointer: number): void {
    const view = this.view(data);
    view.set(data.subarray(from, from + count), pointer / view.BYTES_PER_ELEMENT);
  }

  /** Copies n values in and zeroes the buffer up to `size` values. */
  putPadded(data: Storage, n: number, size: number, pointer: number): void {
    this.put(data, 0, n, pointer);
    this.heap.fill(0, pointer / 4 + n, pointer / 4 + size);
  }

  take(pointer: number, count: number, into: Storage, at = 0): void {
    const view = this.view(into);
    const start = pointer / view.BYTES_PER_ELEMENT;
    into.set(view.subarray(start, start + count), at);
  }
}

/** A shared-memory arena and the worker that shares each large GEMM in it. */
interface Threaded {
  arena: Arena;
  worker: GemmWorker;
}

/**
 * Float32 kernels in WebAssembly SIMD (GEMM, dense elementwise ops, ReLU, column sums, the softmax
 * family, optimizer updates); anything else goes to the plain kernels. Large GEMMs can be split
 * over two threads (see threads.ts) in a shared-memory instance; everything else runs in a
 * private one, whose copies are cheaper.
 */
class WasmKernels {
  /** 1, or 2 to split large products with a worker thread. */
  threads = 1;
  private threaded: Threaded | null = null;

  constructor(
    private readonly local: Arena,
    private readonly startThreads: (() => Threaded | null) | null,
  ) {}

  get canThread(): boolean {
    return this.startThreads !== null;
  }

  matmul(
    a: MatrixOperand, b: MatrixOperand, bias: Storage | null, out: Storage, batchShape: readonly number[], m: number, k: number, n: number,
  ): void {
    if (!float32(a.data, b.data, bias, out)) {
      cpuBackend.matmul(a, b, bias, out, batchShape, m, k, n);
      return;
    }
    const panels = Math.ceil(n / 8);
    if (this.threads > 1 && this.threaded === null && this.startThreads !== null) this.threaded = this.startThreads();
    const split = this.threads > 1 && this.threaded !== null && m * k * n >= THREAD_MIN_WORK && panels >= 4;
    const arena = split && this.threaded !== null ? this.threaded.arena : this.local;
    const worker = split && this.threaded !== null ? this.threaded.worker : null;
    // Operands whose panels are already depth-major are read in place (see assembly/gemm.ts):
    // a transposed A of whole 4-row panels, a row-major B of whole 8-column panels.
    const aInPlace = a.transposed && m % 4 === 0;
    const bInPlace = !b.transposed && n % 8 === 0;
    const packedASize = aInPlace ? 0 : Math.ceil(m / 4) * 4 * k * 4;
    // Each thread packs its own copy of A and spills edge tiles to its own 128-byte scratch.
    const [aPtr, bPtr, cPtr, packedA, packedA2, packedB, scratch, scratch2, biasPtr] = arena.layout([
      m * k * 4, k * n * 4, m * n * 4, packedASize, worker === null ? 0 : packedASize, bInPlace ? 0 : panels * 8 * k * 4, 128, 128, panels * 8 * 4,
    ]);
    if (bias !== null) arena.putPadded(bias, n, panels * 8, biasPtr);
    const biasArg = bias === null ? 0 : biasPtr;
    const [aRs, aCs] = a.transposed ? [1, m] : [k, 1];
    const [bRs, bCs] = b.transposed ? [1, k] : [n, 1];
    // A's panel ip starts at ip * aPanelStride bytes into its panels and steps aStep per depth.
    const [aPanelStride, aStep] = aInPlace ? [16, m * 4] : [k * 16, 16];
    const bPacked = bInPlace ? 0 : packedB;
    const kernels = arena.kernels;
    forEachBatch(batchShape, a, b, (t, ao, bo) => {
      arena.put(a.data, ao, m * k, aPtr);
      arena.put(b.data, bo, k * n, bPtr);
      if (worker === null) {
        if (!aInPlace) kernels.packA(aPtr, m, k, aRs, aCs, packedA);
        kernels.gemmPanels(bPtr, bRs, bCs, biasArg, cPtr, m, k, n, aInPlace ? aPtr : packedA, aPanelStride, aStep, bPacked, 0, panels, scratch);
      } else {
        // The worker packs its own copy of A (nothing, with m = 0, when A is read in place).
        worker.begin(
          [aPtr, aInPlace ? 0 : m, k, aRs, aCs, packedA2],
          [bPtr, bRs, bCs, biasArg, cPtr, m, k, n, aInPlace ? aPtr : packedA2, aPanelStride, aStep, bPacked, PANEL_COUNTER, CHUNK, scratch2],
        );
        if (!aInPlace) kernels.packA(aPtr, m, k, aRs, aCs, packedA);
        kernels.gemmShared(bPtr, bRs, bCs, biasArg, cPtr, m, k, n, aInPlace ? aPtr : packedA, aPanelStride, aStep, bPacked, PANEL_COUNTER, CHUNK, scratch);
        worker.finish();
      }
      arena.take(cPtr, m * n, out, t * m * n);
    });
  }

  unary(op: UnaryOp, x: Storage, out: Storage): void {
    if (op !== 'relu' || !float32(x, out)) {
      cpuBackend.unary(op, x, out);
      return;
    }
    const n = x.length;
    this.local.run([[x, 0, n, 'in'], [out, 0, n, 'out']], ([xp, outp]) => this.local.kernels.relu(xp, outp, n));
  }

  /** (log)softmax over contiguous float32 rows (inner = 1) in wasm; the rest in JS. */
  softmax(x: Storage, outer: number, size: number, inner: number, out: Storage, log: boolean): void {
    if (inner !== 1 || !float32(x, out)) {
      cpuBackend.softmax(x, outer, size, inner, out, log);
      return;
    }
    const n = outer * size;
    this.local.run([[x, 0, n, 'in'], [out, 0, n, 'out']], ([xp, outp]) =>
      this.local.kernels.softmaxRows(xp, outer, size, outp, log ? 1 : 0, 0),
    );
  }

  /** The fused loss over contiguous float32 rows: its softmax in wasm, the per-sample losses in JS. */
  crossEntropyForward(x: Storage, targets: ClassTargets, layout: LossLayout, labelSmoothing: number, loss: Storage, probs: Storage): number {
    if (layout.inner !== 1 || !float32(x, probs)) {
      return cpuBackend.crossEntropyForward(x, targets, layout, labelSmoothing, loss, probs);
    }
    const { outer: rows, classes } = layout;
    const lse = new Float64Array(rows);
    this.local.run([[x, 0, rows * classes, 'in'], [probs, 0, rows * classes, 'out'], [lse, 0, rows, 'out']], ([xp, probsp, lsep]) =>
      this.local.kernels.softmaxRows(xp, rows, classes, probsp, 0, lsep),
    );
    return crossEntropyLosses(x, targets, layout, labelSmoothing, lse, loss);
  }

  softmaxBackward(y: Storage, gy: Storage, outer: number, size: number, inner: number, gx: Storage, log: boolean): void {
    if (inner !== 1 || !float32(y, gy, gx)) {
      cpuBackend.softmaxBackward(y, gy, outer, size, inner, gx, log);
      return;
    }
    const n = outer * size;
    this.local.run([[y, 0, n, 'in'], [gy, 0, n, 'in'], [gx, 0, n, 'out']], ([yp, gyp, gxp]) =>
      this.local.kernels.softmaxBackwardRows(yp, gyp, outer, size, gxp, log ? 1 : 0),
    );
  }

  /** Sums over float32 with at least four columns (a bias gradient's) run in wasm; the rest in JS. */
  reduce(op: ReduceOp, x: Storage, outer: number, size: number, inner: number, out: Storage): void {
    if (op !== 'sum' || inner < 4 || !float32(x, out)) {
      cpuBackend.reduce(op, x, outer, size, inner, out);
      return;
    }
    this.local.run([[x, 0, outer * size * inner, 'in'], [out, 0, outer * inner, 'out']], ([xp, outp]) =>
      this.local.kernels.sumMiddle(xp, outer, size, inner, outp),
    );
  }

  /** Dense float32 operands (b may also be one value broadcast) run in wasm; the rest in JS. */
  binary(op: BinaryOp, a: Strided, b: Strided, shape: readonly number[], out: Storage): void {
    const code = BINARY_CODES[op];
    const bScalar = b.strides.every((s) => s === 0);
    if (code === undefined || !float32(a.data, b.data, out) || !isDense(shape, a.strides) || !(bScalar || isDense(shape, b.strides))) {
      cpuBackend.binary(op, a, b, shape, out);
      return;
    }
    const n = out.length;
    this.local.run([[a.data, a.offset, n, 'in'], [b.data, b.offset, bScalar ? 1 : n, 'in'], [out, 0, n, 'out']], ([ap, bp, outp]) =>
      this.local.kernels.binary(code, ap, bp, bScalar ? 1 : 0, outp, n),
    );
  }

  sgdStep(param: Storage, grad: Storage, momentumBuffer: Storage | null, h: SGDHyper): void {
    if (!float32(param, grad, momentumBuffer)) {
      cpuBackend.sgdStep(param, grad, momentumBuffer, h);
      return;
    }
    const n = param.length;
    const spans: Span[] = [[param, 0, n, 'inout'], [grad, 0, n, 'in']];
    if (momentumBuffer !== null) spans.push([momentumBuffer, 0, n, 'inout']);
    this.local.run(spans, ([p, g, buf = 0]) =>
      this.local.kernels.sgd(p, g, buf, n, h.lr, h.momentum, h.dampening, h.nesterov ? 1 : 0, h.weightDecay, h.firstStep ? 1 : 0),
    );
  }

  adamStep(param: Storage, grad: Storage, expAvg: Storage, expAvgSq: Storage, maxExpAvgSq: Storage | null, h: AdamHyper): void {
    if (!float32(param, grad, expAvg, expAvgSq, maxExpAvgSq)) {
      cpuBackend.adamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq, h);
      return;
    }
    const n = param.length;
    const spans: Span[] = [[param, 0, n, 'inout'], [grad, 0, n, 'in'], [expAvg, 0, n, 'inout'], [expAvgSq, 0, n, 'inout']];
    if (maxExpAvgSq !== null) spans.push([maxExpAvgSq, 0, n, 'inout']);
    const stepSize = h.lr / (1 - Math.pow(h.beta1, h.step));
    const bc2Sqrt = Math.sqrt(1 - Math.pow(h.beta2, h.step));
    this.local.run(spans, ([p, g, m, v, vmax = 0]) =>
      this.local.kernels.adam(p, g, m, v, vmax, n, h.lr, h.beta1, h.beta2, h.eps, h.weightDecay, h.decoupledWeightDecay ? 1 : 0, stepSize, bc2Sqrt),
    );
  }
}

export interface WasmBackend extends Partial<Backend> {
  name: string;
  /** Threads the GEMM may use: 1, or 2 where worker threads and shared memory exist (Node) on 2+ cores. */
  setThreads(threads: number): void;
  getThreads(): number;
  maxThreads(): number;
}

/** The module's imports: an abort hook, and the memory for the shared-memory variant. */
function imports(memory?: WebAssembly.Memory): Record<string, Record<string, unknown>> {
  const env: Record<string, unknown> = {
    abort: () => {
      throw new Error('wasm kernels: abort');
    },
  };
  if (memory !== undefined) env.memory = memory;
  return { env };
}

function instantiate(module: WebAssembly.Module, memory?: WebAssembly.Memory): KernelExports {
  return new WebAssembly.Instance(module, imports(memory)).exports as unknown as KernelExports;
}

/** The shared-memory instance and its worker, where Node's threads and SharedArrayBuffer exist. */
function startThreads(): Threaded | null {
  const bytes = decode(KERNELS_SHARED_WASM_BASE64);
  if (!WebAssembly.validate(bytes)) return null;
  const module = new WebAssembly.Module(bytes);
  const memory = new WebAssembly.Memory({ initial: 2, maximum: 16384, shared: true });
  const worker = GemmWorker.start(module, memory);
  return worker === null ? null : { arena: new Arena(instantiate(module, memory), memory), worker };
}

/** The kernels' bytes where this platform runs WebAssembly SIMD, else null. */
function simdModuleBytes(): Uint8Array | null {
  if (typeof WebAssembly !== 'object') return null;
  const bytes = decode(KERNELS_WASM_BASE64);
  return WebAssembly.validate(bytes) ? bytes : null;
}

/**
 * A backend whose float32 GEMM, elementwise, softmax and optimizer kernels run in WebAssembly SIMD
 * (other dtypes and every other kernel fall back to the plain ones), compiled synchronously, as
 * Node and current browsers allow for a module this size (about 13 KB). Null where WebAssembly
 * SIMD is missing, or where synchronous compilation is refused (Chrome before 114 refuses modules
 * over 4 KB on the main thread): loadWasmBackend() compiles asynchronously there.
 */
export function createWasmBackend(): WasmBackend | null {
  const bytes = simdModuleBytes();
  if (bytes === null) return null;
  let exports: KernelExports;
  try {
    exports = instantiate(new WebAssembly.Module(bytes));
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
  return backendOver(exports);
}

/** The same backend, compiled and instantiated asynchronously (never refused for its size). */
export async function loadWasmBackend(): Promise<WasmBackend | null> {
  const bytes = simdModuleBytes();
  if (bytes === null) return null;
  const instance = await WebAssembly.instantiate(await WebAssembly.compile(bytes), imports());
  return backendOver(instance.exports as unknown as KernelExports);
}

function backendOver(exports: KernelExports): WasmBackend {
  const kernels = new WasmKernels(new Arena(exports, exports.memory as WebAssembly.Memory), canUseSecondThread() ? startThreads : null);
  return {
    name: 'wasm',
    matmul: (a, b, bias, out, batchShape, m, k, n) => kernels.matmul(a, b, bias, out, batchShape, m, k, n),
    unary: (op, x, out) => kernels.unary(op, x, out),
    binary: (op, a, b, shape, out) => kernels.binary(op, a, b, shape, out),
    reduce: (op, x, outer, size, inner, out) => kernels.reduce(op, x, outer, size, inner, out),
    softmax: (x, outer, size, inner, out, log) => kernels.softmax(x, outer, size, inner, out, log),
    crossEntropyForward: (x, targets, layout, eps, loss, probs) => kernels.crossEntropyForward(x, targets, layout, eps, loss, probs),
    softmaxBackward: (y, gy, outer, size, inner, gx, log) => kernels.softmaxBackward(y, gy, outer, size, inner, gx, log),
    sgdStep: (param, grad, buffer, h) => kernels.sgdStep(param, grad, buffer, h),
    adamStep: (param, grad, m, v, vmax, h) => kernels.adamStep(param, grad, m, v, vmax, h),
    setThreads: (threads) => {
      if (!Number.isInteger(threads) || threads < 1) throw new Error(`setNumThreads: expected a positive integer, got ${threads}`);
      kernels.threads = Math.min(threads, kernels.canThread ? 2 : 1);
    },
    getThreads: () => kernels.threads,
    maxThreads: () => (kernels.canThread ? 2 : 1),
  };
}
