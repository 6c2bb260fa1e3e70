import { formatShape } from '@wick/core';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { constants, gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { ImageSet } from './modelInputs';

export type { ImageSet };

/** An IDX array: the format of the MNIST files (magic 0x0000 | type | rank, big-endian sizes, data). */
export interface IdxArray {
  shape: number[];
  data: Uint8Array;
}

const UBYTE = 0x08;

/** The total size an IDX header declares (header and data), from its first bytes; null if too short. */
function declaredSize(head: Uint8Array): number | null {
  if (head.length < 4) return null;
  const rank = head[3];
  if (head.length < 4 + 4 * rank) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let size = 1;
  for (let i = 0; i < rank; i++) size *= view.getUint32(4 + 4 * i, false);
  return 4 + 4 * rank + size;
}

/**
 * Decompresses gzipped IDX bytes no further than the size their own header declares: the header
 * is read from the first decompressed bytes, and inflating past it stops with an error, so a small
 * file that would inflate to gigabytes (a gzip bomb) costs nothing.
 */
function gunzipBounded(raw: Uint8Array, source: string): Uint8Array {
  try {
    const head = gunzipSync(raw.subarray(0, 1024), { finishFlush: constants.Z_SYNC_FLUSH });
    const bound = declaredSize(head);
    return gunzipSync(raw, { maxOutputLength: Math.max(bound ?? 1024, 1) });
  } catch (e) {
    const tooLarge = (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    const why = tooLarge ? 'it inflates beyond the size its IDX header declares' : `not a valid gzip file (${(e as Error).message})`;
    throw new Error(`${source}: ${why}`, { cause: e });
  }
}

/** Parses IDX bytes (gzipped or not) holding unsigned bytes; `source` names the file in errors. */
export function parseIdx(raw: Uint8Array, source: string): IdxArray {
  let bytes = raw;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipBounded(bytes, source);
  if (bytes.length < 4) throw new Error(`${source}: too short (${bytes.length} bytes) for an IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const type = bytes[2];
  const rank = bytes[3];
  if (bytes[0] !== 0 || bytes[1] !== 0 || rank === 0) {
    throw new Error(`${source}: wrong magic number 0x${magic.toString(16).padStart(8, '0')}; not an IDX file`);
  }
  if (type !== UBYTE) throw new Error(`${source}: IDX element type 0x${type.toString(16)} is not supported (expected 0x08, unsigned bytes)`);
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) throw new Error(`${source}: truncated header (${bytes.length} bytes, rank ${rank} needs ${headerBytes})`);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = shape.reduce((a, b) => a * b, 1);
  if (bytes.length - headerBytes < size) {
    throw new Error(`${source}: truncated data: shape ${formatShape(shape)} needs ${size} bytes, the file has ${bytes.length - headerBytes}`);
  }
  return { shape, data: bytes.subarray(headerBytes, headerBytes + size) };
}

/** The file `name` or `name.gz` in dir, which must be a regular file (not a FIFO, device or directory). */
function findFile(dir: string, name: string): string {
  for (const candidate of [name, `${name}.gz`]) {
    const p = join(dir, candidate);
    let stats;
    try {
      stats = statSync(p);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ELOOP') throw new Error(`${p}: a symbolic link loop`, { cause: e });
      if (code === 'ENOENT' && !existsSync(p)) continue;
      throw new Error(`${p}: cannot be read (${code ?? (e as Error).message})`, { cause: e });
    }
    if (!stats.isFile()) {
      const kind = stats.isDirectory() ? 'a directory' : stats.isFIFO() ? 'a FIFO' : stats.isCharacterDevice() || stats.isBlockDevice() ? 'a device' : 'not a regular file';
      throw new Error(`${p}: is ${kind}, not a regular file`);
    }
    return p;
  }
  throw new Error(`${dir}: neither ${name} nor ${name}.gz found`);
}

/** The digit classes the example trains on. */
export const CLASSES = 10;


/** Reads an images file and its labels file, checking they describe the same number of items. */
export function readIdxPair(dir: string, prefix: 'train' | 't10k'): ImageSet {
  const imagesPath = findFile(dir, `${prefix}-images-idx3-ubyte`);
  const labelsPath = findFile(dir, `${prefix}-labels-idx1-ubyte`);
  const images = parseIdx(readFileSync(imagesPath), imagesPath);
  const labels = parseIdx(readFileSync(labelsPath), labelsPath);
  if (images.shape.length !== 3) throw new Error(`${imagesPath}: expected images of rank 3 (count, rows, cols), got shape ${formatShape(images.shape)}`);
  if (labels.shape.length !== 1) throw new Error(`${labelsPath}: expected labels of rank 1, got shape ${formatShape(labels.shape)}`);
  if (images.shape[0] !== labels.shape[0]) {
    throw new Error(`${labelsPath}: ${labels.shape[0]} labels do not match the ${images.shape[0]} images of ${imagesPath}`);
  }
  if (images.shape[0] === 0) throw new Error(`${imagesPath}: holds no images`);
  const bad = labels.data.findIndex((y) => y >= CLASSES);
  if (bad >= 0) throw new Error(`${labelsPath}: label ${labels.data[bad]} at index ${bad} is out of range for ${CLASSES} classes (0 to ${CLASSES - 1})`);
  const pixels = images.shape[1] * images.shape[2];
  const scaled = new Float32Array(images.data.length);
  for (let i = 0; i < scaled.length; i++) scaled[i] = images.data[i] / 255;
  return { images: scaled, labels: labels.data, count: images.shape[0], pixels };
}
