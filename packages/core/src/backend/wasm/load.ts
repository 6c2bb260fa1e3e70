import { Arena } from './arena';
import type { Threaded } from './gemm';
import { KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64, type KernelExports } from './kernelsModule';
import { KernelWorker } from './threads';

function decode(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
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
export function startThreads(): Threaded | null {
  const bytes = decode(KERNELS_SHARED_WASM_BASE64);
  if (!WebAssembly.validate(bytes)) return null;
  const module = new WebAssembly.Module(bytes);
  const memory = new WebAssembly.Memory({ initial: 2, maximum: 16384, shared: true });
  const worker = KernelWorker.start(module, memory);
  return worker === null ? null : { arena: new Arena(instantiate(module, memory), memory), worker };
}

/** The kernels' bytes where this platform runs WebAssembly SIMD, else null. */
function simdModuleBytes(): Uint8Array | null {
  if (typeof WebAssembly !== 'object') return null;
  const bytes = decode(KERNELS_WASM_BASE64);
  return WebAssembly.validate(bytes) ? bytes : null;
}

function arenaOf(exports: KernelExports): Arena {
  return new Arena(exports, exports.memory as WebAssembly.Memory);
}

/**
 * The kernels compiled synchronously, as Node and current browsers allow for a module this size
 * (about 19 KB). Null where WebAssembly SIMD is missing, or where synchronous compilation is
 * refused (Chrome before 114 refuses modules over 4 KB on the main thread): loadArena() compiles
 * asynchronously there.
 */
export function createArena(): Arena | null {
  const bytes = simdModuleBytes();
  if (bytes === null) return null;
  try {
    return arenaOf(instantiate(new WebAssembly.Module(bytes)));
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}

/** The same, compiled and instantiated asynchronously (never refused for its size). */
export async function loadArena(): Promise<Arena | null> {
  const bytes = simdModuleBytes();
  if (bytes === null) return null;
  const instance = await WebAssembly.instantiate(await WebAssembly.compile(bytes), imports());
  return arenaOf(instance.exports as unknown as KernelExports);
}
