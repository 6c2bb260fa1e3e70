import { formatShape, tensor, type DType, type Tensor } from '@wick/core';
import type { StateDict } from '../module';
import { ITEM_BYTES, LITTLE_ENDIAN, writeLittleEndian } from './bytes';

/**
 * The safetensors format: an 8-byte little-endian header length N, N bytes of JSON mapping each
 * name to { dtype, shape, data_offsets: [begin, end] } (offsets into the data that follows), then
 * the raw little-endian data. https://github.com/huggingface/safetensors
 */

const WRITE_DTYPE: Record<DType, string> = { float32: 'F32', float64: 'F64', int64: 'I64', bool: 'BOOL' };

interface ReadType {
  dtype: DType;
  bytes: number;
  read: (view: DataView, at: number) => number | bigint;
  /** Set where the stored values are the tensor's own: on a little-endian host they are copied as bytes. */
  native?: true;
}

const READ_DTYPE: Record<string, ReadType> = {
  F32: { dtype: 'float32', bytes: 4, read: (v, at) => v.getFloat32(at, true), native: true },
  F64: { dtype: 'float64', bytes: 8, read: (v, at) => v.getFloat64(at, true), native: true },
  I64: { dtype: 'int64', bytes: 8, read: (v, at) => v.getBigInt64(at, true) },
  I32: { dtype: 'int64', bytes: 4, read: (v, at) => v.getInt32(at, true) },
  I16: { dtype: 'int64', bytes: 2, read: (v, at) => v.getInt16(at, true) },
  I8: { dtype: 'int64', bytes: 1, read: (v, at) => v.getInt8(at) },
  U8: { dtype: 'int64', bytes: 1, read: (v, at) => v.getUint8(at) },
  BOOL: { dtype: 'bool', bytes: 1, read: (v, at) => v.getUint8(at) },
};


/** The largest header the reference reader accepts (huggingface/safetensors' MAX_HEADER_SIZE). */
const MAX_HEADER_BYTES = 100_000_000;

/** Metadata must map strings to strings, as the format (and the reference reader) requires. */
function checkMetadata(metadata: unknown, fail: (problem: string) => never): void {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) fail(`__metadata__ must be an object of strings, got ${JSON.stringify(metadata)}`);
  for (const [k, v] of Object.entries(metadata as object)) {
    if (typeof v !== 'string') fail(`__metadata__ '${k}' must be a string, got ${JSON.stringify(v)}`);
  }
}

/** A safetensors file's contents: its tensors and its `__metadata__` strings. */
export interface TensorsWithMetadata {
  /** The tensors, by name. */
  tensors: StateDict;
  /** The header's `__metadata__` (empty when the file has none). */
  metadata: Record<string, string>;
}

/** Encodes tensors (a state dict) as safetensors bytes; metadata must map strings to strings. */
export function serialize(tensors: StateDict, metadata?: Record<string, string>): Uint8Array {
  if (metadata !== undefined) {
    checkMetadata(metadata, (problem) => {
      throw new Error(`serialize: ${problem}`);
    });
  }
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) header.__metadata__ = metadata;
  let offset = 0;
  const entries = Object.entries(tensors);
  for (const [name, t] of entries) {
    const size = t.numel() * ITEM_BYTES[t.dtype];
    header[name] = { dtype: WRITE_DTYPE[t.dtype], shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
  const headerBytes = new Uint8Array(json.length + ((8 - (json.length % 8)) % 8)).fill(0x20);
  headerBytes.set(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const [, t] of entries) {
    writeLittleEndian(out, at, t.dtype, t.dataSync());
    at += t.numel() * ITEM_BYTES[t.dtype];
  }
  return out;
}

interface Entry {
  name: string;
  type: ReadType;
  shape: number[];
  begin: number;
  end: number;
}

function isNonNegativeInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * The keys of a JSON object's top level, duplicates included (JSON.parse keeps only the last of
 * a repeated key, so a file naming a tensor twice would load silently): a scan of the text that
 * skips strings and nested values.
 */
function topLevelKeys(json: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const ch = json[i];
    if (ch === '"') {
      let j = i + 1;
      while (json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      if (depth === 1 && /^\s*:/.test(json.slice(j + 1, j + 64))) keys.push(JSON.parse(json.slice(i, j + 1)) as string);
      i = j;
    } else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
  }
  return keys;
}

/**
 * Where safetensors bytes are read from: a buffer, or (for files too large for one) a file read
 * piece by piece. `read` returns `length` bytes from `position`, which the decoder keeps in range.
 */
export interface ByteSource {
  size: number;
  read(position: number, length: number): Uint8Array;
}

/**
 * Decodes safetensors bytes into tensors. The input is untrusted: every length, dtype, shape
 * and offset is checked before any tensor is built, and errors name `source` and the tensor.
 */
export function deserialize(bytes: Uint8Array, source = 'safetensors data'): StateDict {
  return deserializeWithMetadata(bytes, source).tensors;
}

/** As deserialize, with the header's `__metadata__` too (empty when the file has none). */
export function deserializeWithMetadata(bytes: Uint8Array, source = 'safetensors data'): TensorsWithMetadata {
  return decode({ size: bytes.length, read: (position, length) => bytes.subarray(position, position + length) }, source);
}

/**
 * The decoder of deserializeWithMetadata over any ByteSource: the header is read and checked
 * whole, then each tensor's bytes are read on their own, so no buffer holds more than one tensor.
 * @internal
 */
export function decode(bytes: ByteSource, source: string): TensorsWithMetadata {
  const fail = (problem: string): never => {
    throw new Error(`${source}: ${problem}`);
  };
  if (bytes.size < 8) fail(`too short (${bytes.size} bytes) to hold a safetensors header`);
  const lengthField = bytes.read(0, 8);
  const headerLength = new DataView(lengthField.buffer, lengthField.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) fail(`header length ${headerLength} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  if (headerLength > BigInt(bytes.size - 8)) {
    fail(`header length ${headerLength} exceeds the ${bytes.size - 8} bytes after the length field`);
  }
  const dataStart = 8 + Number(headerLength);
  const dataLength = bytes.size - dataStart;
  let header: unknown;
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.read(8, dataStart - 8));
    header = JSON.parse(text);
  } catch (e) {
    fail(`malformed JSON header: ${(e as Error).message}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('the header is not a JSON object');
  const seen = new Set<string>();
  for (const key of topLevelKeys(text)) {
    if (seen.has(key)) fail(`the header names '${key}' more than once`);
    seen.add(key);
  }
  if ('__metadata__' in (header as object)) checkMetadata((header as Record<string, unknown>).__metadata__, fail);

  const entries: Entry[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    if (typeof raw !== 'object' || raw === null) fail(`tensor '${name}': entry is not an object`);
    const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
    const type = typeof dtype === 'string' ? READ_DTYPE[dtype] : undefined;
    if (type === undefined) {
      fail(`tensor '${name}': unknown or unsupported dtype ${JSON.stringify(dtype)} (supported: ${Object.keys(READ_DTYPE).join(', ')})`);
    }
    if (!Array.isArray(shape) || !shape.every(isNonNegativeInteger)) fail(`tensor '${name}': invalid shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegativeInteger) || offsets[0] > offsets[1]) {
      fail(`tensor '${name}': invalid data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as number[];
    if (end > dataLength) fail(`tensor '${name}': data_offsets [${begin}, ${end}] are out of range for ${dataLength} bytes of data`);
    const dims = shape as number[];
    const needed = dims.reduce((a, b) => a * b, 1) * (type as ReadType).bytes;
    if (needed !== end - begin) {
      fail(`tensor '${name}' of dtype ${String(dtype)} and shape ${formatShape(dims)} needs ${needed} bytes, but its data_offsets span ${end - begin}`);
    }
    entries.push({ name, type: type as ReadType, shape: dims, begin, end });
  }
  // As the reference reader: the tensors' data follow one another with no gap and no overlap and
  // cover the data exactly.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin);
  let expected = 0;
  for (const e of sorted) {
    if (e.begin < expected) fail(`tensor '${e.name}' overlaps the tensor before it in the data (it starts at byte ${e.begin}, before ${expected})`);
    if (e.begin > expected) fail(`tensor '${e.name}' starts at byte ${e.begin}, leaving a gap after byte ${expected} of the data`);
    expected = e.end;
  }
  if (expected !== dataLength) fail(`the tensors cover ${expected} bytes of data, but the file holds ${dataLength} (trailing or missing bytes)`);

  // No prototype: a tensor named '__proto__' or 'constructor' is a tensor like any other.
  const out = Object.create(null) as StateDict;
  for (const e of entries) {
    const n = (e.end - e.begin) / e.type.bytes;
    const data = bytes.read(dataStart + e.begin, e.end - e.begin);
    const values = e.type.dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
    if (e.type.native === true && LITTLE_ENDIAN) {
      // A copy, never a view: the tensor must not share the caller's buffer.
      new Uint8Array(values.buffer).set(data);
    } else {
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      for (let i = 0; i < n; i++) {
        const v = e.type.read(view, i * e.type.bytes);
        if (typeof v === 'bigint' && (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER))) {
          fail(`tensor '${e.name}': int64 value ${v} at index ${i} is beyond 2^53 - 1`);
        }
        values[i] = Number(v);
      }
    }
    out[e.name] = tensor(values, { shape: e.shape, dtype: e.type.dtype }) as Tensor;
  }
  const metadata = Object.assign(Object.create(null) as Record<string, string>, (header as { __metadata__?: Record<string, string> }).__metadata__);
  return { tensors: out, metadata };
}
