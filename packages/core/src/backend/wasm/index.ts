import type { Storage } from '../../dtype';
import type { AdamHyper, Backend, MatrixOperand, SGDHyper } from '../backend';
import { cpuBackend } from '../cpu';
import { KERNELS_WASM_BASE64 } from './kernelsModule';

/** The exports of packages/core/assembly (pointers are byte offsets into memory). */
interface KernelExports {
  memory: WebAssembly.Memory;
  gemm(
    a: number, aRowStride: number, aColStride: number,
    b: number, bRowStride: number, bColStride: number,
    c: number, m: number, k: number, n: number,
    packedA: number, packedB: number,
  ): void;
  sgd(
    p: number, g: number, buf: number, n: number,
    lr: number, momentum: number, dampening: number, nesterov: number, weightDecay: number, firstStep: number,
  ): void;
  adam(
    p: number, g: number, m: number, v: number, vmax: number, n: number,
    lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, decoupled: number, stepSize: number, bc2Sqrt: number,
  ): void;
}

/** Where our buffers start: page 0 is left to the module. */
const HEAP_BASE = 65536;
const PAGE = 65536;

const align = (bytes: number) => (bytes + 15) & ~15;

function decode(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/**
 * Runs float32 kernels in WebAssembly SIMD. Operands are copied into the module's memory per
 * call: a memcpy costs microseconds against the hundreds the kernels save, so tensors keep
 * ordinary JS storage. Anything not float32 goes to the plain kernels.
 */
class WasmKernels {
  private heap: Float32Array;

  constructor(private readonly k: KernelExports) {
    this.heap = new Float32Array(k.memory.buffer);
  }

  /**
   * Lays out buffers of the given byte sizes from HEAP_BASE (16-byte aligned, `gap` bytes
   * before each) and returns their pointers, growing memory as needed. Growing detaches old
   * views, so the heap view is refreshed.
   */
  private layout(sizes: readonly number[], gap = 0): number[] {
    let at = HEAP_BASE;
    const pointers = sizes.map((size) => {
      const p = at + gap;
      at = p + align(size);
      return p;
    });
    const memory = this.k.memory;
    if (memory.buffer.byteLength < at) memory.grow(Math.ceil((at - memory.buffer.byteLength) / PAGE));
    if (this.heap.buffer !== memory.buffer) this.heap = new Float32Array(memory.buffer);
    return pointers;
  }

  private put(data: Storage, from: number, count: number, pointer: number): void {
    this.heap.set(data.subarray(from, from + count), pointer / 4);
  }

  private take(pointer: number, count: number, into: Storage, at = 0): void {
    into.set(this.heap.subarray(pointer / 4, pointer / 4 + count), at);
  }

  matmul(a: MatrixOperand, b: MatrixOperand, out: Storage, batchShape: readonly number[], m: number, k: number, n: number): void {
    if (!(a.data instanceof Float32Array && b.data instanceof Float32Array && out instanceof Float32Array)) {
      cpuBackend.matmul(a, b, out, batchShape, m, k, n);
      return;
    }
    // The kernel spills edge tiles to the 128 bytes before each buffer, hence the gap.
    const [aPtr, bPtr, cPtr, packedA, packedB] = this.layout(
      [m * k * 4, k * n * 4, m * n * 4, Math.ceil(m / 4) * 4 * k * 4, Math.ceil(n / 8) * 8 * k * 4],
      128,
    );
    const [aRs, aCs] = a.transposed ? [1, m] : [k, 1];
    const [bRs, bCs] = b.transposed ? [1, k] : [n, 1];
    let batches = 1;
    for (const s of batchShape) batches *= s;
    const counter = new Array<number>(batchShape.length).fill(0);
    let ao = a.offset;
    let bo = b.offset;
    for (let t = 0; t < batches; t++) {
      this.put(a.data, ao, m * k, aPtr);
      this.put(b.data, bo, k * n, bPtr);
      this.k.gemm(aPtr, aRs, aCs, bPtr, bRs, bCs, cPtr, m, k, n, packedA, packedB);
      this.take(cPtr, m * n, out, t * m * n);
      for (let d = batchShape.length - 1; d >= 0; d--) {
        counter[d]++;
        ao += a.batchStrides[d];
        bo += b.batchStrides[d];
        if (counter[d] < batchShape[d]) break;
        ao -= a.batchStrides[d] * batchShape[d];
        bo -= b.batchStrides[d] * batchShape[d];
        counter[d] = 0;
      }
    }
  }

  sgdStep(param: Storage, grad: Storage, momentumBuffer: Storage | null, h: SGDHyper): void {
    const all = [param, grad, ...(momentumBuffer === null ? [] : [momentumBuffer])];
    if (!all.every((s) => s instanceof Float32Array)) {
      cpuBackend.sgdStep(param, grad, momentumBuffer, h);
      return;
    }
    const n = param.length;
    const [p, g, buf] = this.layout(all.map(() => n * 4));
    all.forEach((s, i) => this.put(s, 0, n, [p, g, buf][i]));
    const b = momentumBuffer === null ? 0 : buf;
    this.k.sgd(p, g, b, n, h.lr, h.momentum, h.dampening, h.nesterov ? 1 : 0, h.weightDecay, h.firstStep ? 1 : 0);
    this.take(p, n, param);
    if (momentumBuffer !== null) this.take(buf, n, momentumBuffer);
  }

  adamStep(param: Storage, grad: Storage, expAvg: Storage, expAvgSq: Storage, maxExpAvgSq: Storage | null, h: AdamHyper): void {
    const all = [param, grad, expAvg, expAvgSq, ...(maxExpAvgSq === null ? [] : [maxExpAvgSq])];
    if (!all.every((s) => s instanceof Float32Array)) {
      cpuBackend.adamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq, h);
      return;
    }
    const n = param.length;
    const pointers = this.layout(all.map(() => n * 4));
    all.forEach((s, i) => this.put(s, 0, n, pointers[i]));
    const [p, g, m, v, vmax = 0] = pointers;
    const stepSize = h.lr / (1 - Math.pow(h.beta1, h.step));
    const bc2Sqrt = Math.sqrt(1 - Math.pow(h.beta2, h.step));
    this.k.adam(p, g, m, v, vmax, n, h.lr, h.beta1, h.beta2, h.eps, h.weightDecay, h.decoupledWeightDecay ? 1 : 0, stepSize, bc2Sqrt);
    [param, null, expAvg, expAvgSq, maxExpAvgSq].forEach((s, i) => {
      if (s !== null) this.take(pointers[i], n, s);
    });
  }
}

/**
 * A backend whose GEMM and optimizer updates run in WebAssembly SIMD (float32; other dtypes and
 * every other kernel fall back to the plain ones), or null where WebAssembly SIMD is missing.
 * The module is about 2 KB, small enough to compile synchronously in Node and on a browser's
 * main thread.
 */
export function createWasmBackend(): (Partial<Backend> & { name: string }) | null {
  if (typeof WebAssembly !== 'object') return null;
  const bytes = decode(KERNELS_WASM_BASE64);
  if (!WebAssembly.validate(bytes)) return null;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    env: {
      abort: () => {
        throw new Error('wasm kernels: abort');
      },
    },
  });
  const kernels = new WasmKernels(instance.exports as unknown as KernelExports);
  return {
    name: 'wasm',
    matmul: (a, b, out, batchShape, m, k, n) => kernels.matmul(a, b, out, batchShape, m, k, n),
    sgdStep: (param, grad, buffer, h) => kernels.sgdStep(param, grad, buffer, h),
    adamStep: (param, grad, m, v, vmax, h) => kernels.adamStep(param, grad, m, v, vmax, h),
  };
}
