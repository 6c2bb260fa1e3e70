import type { StateDict } from '../module';
import { decode, serialize, type ByteSource, type TensorsWithMetadata } from './safetensors';

interface NodeFs {
  openSync(path: string, flags: string): number;
  writeSync(fd: number, data: Uint8Array): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  rmSync(path: string, options: { force: boolean }): void;
  fstatSync(fd: number): { size: number; isFile(): boolean };
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
}

/**
 * Node's fs, through process.getBuiltinModule: no require() or import for bundlers to resolve,
 * so @wick/nn bundles for browsers as it is, and for Node in either module format. Outside Node
 * (a browser), files are read and written by the page: use serialize() and deserialize().
 */
function fs(op: string): NodeFs {
  const node = typeof process === 'undefined' ? undefined : process;
  if (typeof node?.getBuiltinModule !== 'function') {
    throw new Error(`${op}: reading and writing files needs Node 20.16 or later; in a browser, use serialize() and deserialize()`);
  }
  return node.getBuiltinModule('node:fs') as NodeFs;
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

/** The most one read(2) is asked for: Node refuses more than 2 GiB - 1 in one call. */
const READ_CHUNK = 1 << 30;

/**
 * Reads a safetensors file through a file descriptor, one tensor at a time, so that files over
 * the 2 GiB a single Node read (or readFileSync) allows load too; `path` names it in errors.
 */
function readFile<T>(path: string, op: string, use: (bytes: ByteSource) => T): T {
  const f = fs(op);
  let fd: number;
  try {
    fd = f.openSync(path, 'r');
  } catch (e) {
    throw new Error(`${path}: could not be opened (${(e as { code?: string }).code ?? (e as Error).message})`, { cause: e });
  }
  try {
    const stat = f.fstatSync(fd);
    if (!stat.isFile()) throw new Error(`${path}: is not a regular file`);
    const read = (position: number, length: number): Uint8Array => {
      const out = new Uint8Array(length);
      for (let at = 0; at < length; ) {
        const got = f.readSync(fd, out, at, Math.min(length - at, READ_CHUNK), position + at);
        if (got === 0) throw new Error(`${path}: ended at byte ${position + at} while reading ${length} bytes from ${position} (the file changed while read?)`);
        at += got;
      }
      return out;
    };
    return use({ size: stat.size, read });
  } finally {
    f.closeSync(fd);
  }
}

/** Reads a .safetensors file (checked as untrusted input) into a state dict. */
export function load(path: string): StateDict {
  return readFile(path, 'load', (bytes) => decode(bytes, path).tensors);
}

/** As load, with the file's `__metadata__` too (empty when it has none). */
export function loadWithMetadata(path: string): TensorsWithMetadata {
  return readFile(path, 'loadWithMetadata', (bytes) => decode(bytes, path));
}
