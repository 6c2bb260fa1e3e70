import { formatShape } from '@wick/core';
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

/** An IDX array: the format of the MNIST files (magic 0x0000 | type | rank, big-endian sizes, data). */
export interface IdxArray {
  shape: number[];
  data: Uint8Array;
}

const UBYTE = 0x08;

/** Parses IDX bytes (gzipped or not) holding unsigned bytes; `source` names the file in errors. */
export function parseIdx(raw: Uint8Array, source: string): IdxArray {
  let bytes = raw;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new Error(`${source}: not a valid gzip file (${(e as Error).message})`, { cause: e });
    }
  }
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

/** The file `name` or `name.gz` in dir. */
function findFile(dir: string, name: string): string {
  for (const candidate of [name, `${name}.gz`]) {
    const p = join(dir, candidate);
    if (existsSync(p)) return p;
  }
  throw new Error(`${dir}: neither ${name} nor ${name}.gz found`);
}

export interface ImageSet {
  /** Pixels scaled to [0, 1], n rows of height * width. */
  images: Float32Array;
  labels: Uint8Array;
  count: number;
  pixels: number;
}

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
  const pixels = images.shape[1] * images.shape[2];
  const scaled = new Float32Array(images.data.length);
  for (let i = 0; i < scaled.length; i++) scaled[i] = images.data[i] / 255;
  return { images: scaled, labels: labels.data, count: images.shape[0], pixels };
}
