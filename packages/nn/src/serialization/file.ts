import type { StateDict } from '../module';
import { deserialize, serialize } from './safetensors';

interface NodeFs {
  readFileSync(path: string): Uint8Array;
  writeFileSync(path: string, data: Uint8Array): void;
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

/** Writes a state dict to a .safetensors file that safetensors.torch.load_file reads. */
export function save(stateDict: StateDict, path: string, metadata?: Record<string, string>): void {
  fs('save').writeFileSync(path, serialize(stateDict, metadata));
}

/** Reads a .safetensors file (checked as untrusted input) into a state dict. */
export function load(path: string): StateDict {
  return deserialize(fs('load').readFileSync(path), path);
}
