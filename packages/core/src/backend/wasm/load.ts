import { Arena } from './arena';
import type { Threaded } from './gemm';
import { FMA_KERNELS, SIMD_KERNELS, type KernelBuildModules, type KernelExports } from './kernelsModule';
import { KernelWorker, nodeModule } from './threads';

/**
 * The two builds of the kernels (scripts/build-wasm.mjs): 'fma', whose GEMM micro-kernel fuses its
 * multiply-adds through relaxed SIMD, and 'simd', on WebAssembly SIMD alone. They differ only there.
 */
export type KernelBuild = 'fma' | 'simd';

const BUILDS: Record<KernelBuild, KernelBuildModules> = { fma: FMA_KERNELS, simd: SIMD_KERNELS };

function decode(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/**
 * Whether this platform validates the fma build. Relaxed SIMD ships in Chrome 114 and Node 22
 * (V8 11.4); Node 20's V8 (11.3) has it behind --experimental-wasm-relaxed-simd, which is turned
 * on here when the module does not validate without it.
 */
function validatesFma(): boolean {
  const bytes = decode(FMA_KERNELS.own);
  if (WebAssembly.validate(bytes)) return true;
  const v8 = nodeModule<{ setFlagsFromString(flags: string): void }>('node:v8');
  if (v8 === null) return false;
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  return WebAssembly.validate(bytes);
}

let preferred: KernelBuild | null | undefined;

/** The build this platform runs best: 'fma' where relaxed SIMD validates, else 'simd' where SIMD does, else null. */
export function preferredBuild(): KernelBuild | null {
  if (preferred === undefined) {
    if (typeof WebAssembly !== 'object') preferred = null;
    else if (validatesFma()) preferred = 'fma';
    else preferred = WebAssembly.validate(decode(SIMD_KERNELS.own)) ? 'simd' : null;
  }
  return preferred;
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

/** The shared-memory instance of `build` and its worker, where Node's threads and SharedArrayBuffer exist. */
export function startThreads(build: KernelBuild): Threaded | null {
  const bytes = decode(BUILDS[build].shared);
  if (!WebAssembly.validate(bytes)) return null;
  const module = new WebAssembly.Module(bytes);
  const memory = new WebAssembly.Memory({ initial: 2, maximum: 16384, shared: true });
  const worker = KernelWorker.start(module, memory);
  return worker === null ? null : { arena: new Arena(instantiate(module, memory), memory), worker };
}

function arenaOf(exports: KernelExports): Arena {
  return new Arena(exports, exports.memory as WebAssembly.Memory);
}

/**
 * `build`'s kernels compiled synchronously, as Node and current browsers allow for a module this
 * size (about 34 KB). Null where synchronous compilation is refused (Chrome before 114 refuses
 * modules over 4 KB on the main thread): loadArena() compiles asynchronously there.
 */
export function createArena(build: KernelBuild): Arena | null {
  try {
    return arenaOf(instantiate(new WebAssembly.Module(decode(BUILDS[build].own))));
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}

/** The same, compiled and instantiated asynchronously (never refused for its size). */
export async function loadArena(build: KernelBuild): Promise<Arena> {
  const instance = await WebAssembly.instantiate(await WebAssembly.compile(decode(BUILDS[build].own)), imports());
  return arenaOf(instance.exports as unknown as KernelExports);
}
