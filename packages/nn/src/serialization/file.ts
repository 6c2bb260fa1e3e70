import type { StateDict } from '../module';
import { deserialize, deserializeWithMetadata, serialize } from './safetensors';

interface NodeFs {
  readFileSync(path: string): Uint8Array;
  openSync(path: string, flags: string): number;
  writeSync(fd: number, data: Uint8Array): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  rmSync(path: string, options: { force: boolean }): void;
}

/** Held in a variable so that bundlers building for browsers do not try to include it. */
const NODE_FS = 'node:fs';

/**
 * Node's fs, loaded on first use so that @wick/nn also runs in browsers, where files are read
 * and written by the page (use serialize/deserialize there).
 */
function fs(op: string): NodeFs {
  if (typeof process === 'undefined' || typeof process.versions?.node !== 'string') {
    throw new Error(`${op}: reading and writing files needs Node; in a browser, use serialize() and deserialize()`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(NODE_FS) as NodeFs;
}

/**
 * Writes bytes to `path` atomically: to a temporary file beside it, flushed to disk, then renamed
 * into place, so a crash or a full disk leaves any previous file at `path` whole. Errors name the
 * path. (Node only.)
 */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const f = fs('writeFileAtomic');
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const temp = `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.${process.pid}.tmp`;
  try {
    const fd = f.openSync(temp, 'w');
    try {
      for (let at = 0; at < bytes.length; ) at += f.writeSync(fd, bytes.subarray(at));
      f.fsyncSync(fd);
    } finally {
      f.closeSync(fd);
    }
    f.renameSync(temp, path);
  } catch (e) {
    f.rmSync(temp, { force: true });
    throw new Error(`${path}: could not be written (${(e as { code?: string }).code ?? (e as Error).message}); any previous file there is unchanged`, { cause: e });
  }
}

/** Writes a state dict to a .safetensors file that safetensors.torch.load_file reads, atomically (see writeFileAtomic). */
export function save(stateDict: StateDict, path: string, metadata?: Record<string, string>): void {
  writeFileAtomic(path, serialize(stateDict, metadata));
}

/** Reads a .safetensors file (checked as untrusted input) into a state dict. */
export function load(path: string): StateDict {
  return deserialize(fs('load').readFileSync(path), path);
}

/** As load, with the file's `__metadata__` too (empty when it has none). */
export function loadWithMetadata(path: string): { tensors: StateDict; metadata: Record<string, string> } {
  return deserializeWithMetadata(fs('loadWithMetadata').readFileSync(path), path);
}
