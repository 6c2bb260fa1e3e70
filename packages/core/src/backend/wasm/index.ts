import type { Storage } from '../../dtype';
import type { Backend, MatrixOperand } from '../backend';
import { cpuBackend } from '../cpu';
import { GEMM_WASM_BASE64 } from './gemmModule';

interface GemmExports {
  memory: WebAssembly.Memory;
  gemm(
    a: number, aRowStride: number, aColStride: number,
    b: number, bRowStride: number, bColStride: number,
    c: number, m: number, k: number, n: number,
    packedA: number, packedB: number,
  ): void;
}

/** Where our buffers start: the module itself keeps no data, page 0 is left to it anyway. */
const HEAP_BASE = 65536;
const PAGE = 65536;

const align = (bytes: number) => (bytes + 15) & ~15;

function decode(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/**
 * The WebAssembly SIMD GEMM (packed 4x8 micro-kernel, see packages/core/assembly/gemm.ts).
 * Operands are copied into the module's memory per call: a memcpy of the inputs costs a few
 * microseconds against hundreds for the product, so tensors keep ordinary JS storage.
 */
class WasmGemm {
  private heap: Float32Array;

  constructor(private readonly exports: GemmExports) {
    this.heap = new Float32Array(exports.memory.buffer);
  }

  /** Grows memory to hold `bytes` past HEAP_BASE; growing detaches old views, so refresh ours. */
  private reserve(bytes: number): void {
    const needed = HEAP_BASE + bytes;
    const memory = this.exports.memory;
    if (memory.buffer.byteLength < needed) {
      memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
    }
    if (this.heap.buffer !== memory.buffer) this.heap = new Float32Array(memory.buffer);
  }

  matmul(a: MatrixOperand, b: MatrixOperand, out: Storage, batchShape: readonly number[], m: number, k: number, n: number): void {
    if (!(a.data instanceof Float32Array && b.data instanceof Float32Array && out instanceof Float32Array)) {
      cpuBackend.matmul(a, b, out, batchShape, m, k, n);
      return;
    }
    const aPtr = HEAP_BASE;
    const bPtr = aPtr + align(m * k * 4);
    const cPtr = bPtr + align(k * n * 4);
    const packedA = cPtr + align(m * n * 4);
    // 128 bytes before packed B hold the edge tile the kernel spills.
    const packedB = packedA + align(Math.ceil(m / 4) * 4 * k * 4) + 128;
    this.reserve(packedB - HEAP_BASE + Math.ceil(n / 8) * 8 * k * 4);
    const heap = this.heap;
    const [aRs, aCs] = a.transposed ? [1, m] : [k, 1];
    const [bRs, bCs] = b.transposed ? [1, k] : [n, 1];
    let batches = 1;
    for (const s of batchShape) batches *= s;
    const counter = new Array<number>(batchShape.length).fill(0);
    let ao = a.offset;
    let bo = b.offset;
    for (let t = 0; t < batches; t++) {
      heap.set(a.data.subarray(ao, ao + m * k), aPtr / 4);
      heap.set(b.data.subarray(bo, bo + k * n), bPtr / 4);
      this.exports.gemm(aPtr, aRs, aCs, bPtr, bRs, bCs, cPtr, m, k, n, packedA, packedB);
      out.set(heap.subarray(cPtr / 4, cPtr / 4 + m * n), t * m * n);
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
}

/**
 * A backend whose GEMM runs in WebAssembly SIMD (float32; other dtypes and every other kernel
 * fall back to the plain ones), or null where WebAssembly SIMD is unavailable. The module is
 * 1.2 KB, small enough to compile synchronously in Node and on a browser's main thread.
 */
export function createWasmBackend(): (Partial<Backend> & { name: string }) | null {
  if (typeof WebAssembly !== 'object') return null;
  const bytes = decode(GEMM_WASM_BASE64);
  if (!WebAssembly.validate(bytes)) return null;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    env: {
      abort: () => {
        throw new Error('wasm gemm: abort');
      },
    },
  });
  const gemm = new WasmGemm(instance.exports as unknown as GemmExports);
  return { name: 'wasm', matmul: (a, b, out, batchShape, m, k, n) => gemm.matmul(a, b, out, batchShape, m, k, n) };
}
