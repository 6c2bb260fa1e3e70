import { readFileSync, writeFileSync } from 'node:fs';
import type { StateDict } from '../module';
import { deserialize, serialize } from './safetensors';

/** Writes a state dict to a .safetensors file that safetensors.torch.load_file reads. */
export function save(stateDict: StateDict, path: string, metadata?: Record<string, string>): void {
  writeFileSync(path, serialize(stateDict, metadata));
}

/** Reads a .safetensors file (checked as untrusted input) into a state dict. */
export function load(path: string): StateDict {
  return deserialize(readFileSync(path), path);
}
