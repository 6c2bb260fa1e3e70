import type { Storage } from '../../dtype';
import type { KernelExports } from './kernelsModule';

/** Where our buffers start: page 0 is left to the module (and the threads' control block). */
const HEAP_BASE = 65536;
const PAGE = 65536;

/** Bytes rounded up to a multiple of 16 (in floating point: sizes of 2 GiB or more overflow int32 bit operations). */
const align = (bytes: number) => Math.ceil(bytes / 16) * 16;

/** Whether every array given is float32 (null, an absent operand, passes): what the wasm kernels take. */
export function float32(...arrays: (Storage | null)[]): boolean {
  return arrays.every((a) => a === null || a instanceof Float32Array);
}

/**
 * `count` values of data from `from` that a kernel reads ('in'), writes ('out') or updates in
 * place ('inout'): float32, or float64 for a Float64Array.
 */
export type Span = readonly [data: Storage, from: number, count: number, direction: 'in' | 'out' | 'inout'];

/**
 * An instance of the kernels and its memory, with buffers laid out per call from HEAP_BASE.
 * Operands are copied in and results out. Tensors keep ordinary JS storage, which the garbage
 * collector frees: storage inside the module's memory could only be freed by hand, since neither
 * a finalizer nor a WeakRef lets go of anything before a synchronous training loop returns to
 * the event loop.
 */
export class Arena {
  private heap: Float32Array;
  private heap64: Float64Array;
  private heapInts: Int32Array;

  constructor(
    readonly kernels: KernelExports,
    private readonly memory: WebAssembly.Memory,
  ) {
    this.heap = new Float32Array(memory.buffer);
    this.heap64 = new Float64Array(memory.buffer);
    this.heapInts = new Int32Array(memory.buffer);
  }

  /** Pointers to buffers of the given byte sizes (16-byte aligned), growing memory as needed. */
  layout(sizes: readonly number[]): number[] {
    let at = HEAP_BASE;
    const pointers = sizes.map((size) => {
      const p = at;
      at += align(size);
      return p;
    });
    if (this.memory.buffer.byteLength < at) {
      try {
        this.memory.grow(Math.ceil((at - this.memory.buffer.byteLength) / PAGE));
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        throw new RangeError(`wasm backend: this op's buffers take ${at} bytes, more than its WebAssembly memory can grow to (${e.message})`, { cause: e });
      }
    }
    // Growing replaces the buffer (and detaches it, unless shared): refresh the views.
    if (this.heap.buffer !== this.memory.buffer) {
      this.heap = new Float32Array(this.memory.buffer);
      this.heap64 = new Float64Array(this.memory.buffer);
      this.heapInts = new Int32Array(this.memory.buffer);
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

  /** Writes 32-bit integers (a kernel's counters and parameter blocks; uint32 values keep their bits) at pointer. */
  putInts(values: ArrayLike<number>, pointer: number): void {
    this.heapInts.set(values, pointer / 4);
  }

  /** Reads `count` 32-bit integers at pointer into `into` (a Uint32Array gets the same bits) and returns it. */
  takeInts<T extends Int32Array | Uint32Array>(pointer: number, count: number, into: T): T {
    into.set(this.heapInts.subarray(pointer / 4, pointer / 4 + count));
    return into;
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
