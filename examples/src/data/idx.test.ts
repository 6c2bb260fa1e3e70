import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseIdx, readIdxPair } from './idx';
import { loadSplits } from './index';

/** IDX bytes of unsigned bytes with the given shape. */
function idx(shape: number[], data: number[], magicType = 0x08): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = magicType;
  out[3] = shape.length;
  shape.forEach((s, i) => view.setUint32(4 + 4 * i, s, false));
  out.set(data, 4 + 4 * shape.length);
  return out;
}

function dirWith(files: Record<string, Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'idx-'));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  return dir;
}

describe('IDX files', () => {
  test('parses plain and gzipped files', () => {
    const bytes = idx([2, 2, 3], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);
    for (const b of [bytes, gzipSync(bytes)]) {
      const a = parseIdx(b, 'x');
      expect(a.shape).toEqual([2, 2, 3]);
      expect([...a.data]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);
    }
  });

  test('reads an image/label pair, scaling pixels to [0, 1]', () => {
    const dir = dirWith({
      'train-images-idx3-ubyte.gz': gzipSync(idx([2, 1, 2], [0, 255, 51, 102])),
      'train-labels-idx1-ubyte': idx([2], [7, 3]),
    });
    const set = readIdxPair(dir, 'train');
    expect(set.count).toBe(2);
    expect(set.pixels).toBe(2);
    expect([...set.images]).toEqual([0, 1, 0.2, 0.4].map(Math.fround));
    expect([...set.labels]).toEqual([7, 3]);
  });

  test('bad files name the file and the problem', () => {
    expect(() => parseIdx(new Uint8Array([1, 2, 8, 1, 0, 0, 0, 0]), 'f.idx')).toThrow('f.idx: wrong magic number 0x01020801');
    expect(() => parseIdx(idx([4], [1, 2]), 'f.idx')).toThrow('f.idx: truncated data: shape [4] needs 4 bytes, the file has 2');
    expect(() => parseIdx(idx([1], [1], 0x0d), 'f.idx')).toThrow('IDX element type 0xd is not supported');
    expect(() => parseIdx(new Uint8Array([0x1f, 0x8b, 1, 2]), 'f.gz')).toThrow('f.gz: not a valid gzip file');
    const dir = dirWith({ 't10k-images-idx3-ubyte': idx([3, 1, 1], [1, 2, 3]), 't10k-labels-idx1-ubyte': idx([2], [1, 2]) });
    expect(() => readIdxPair(dir, 't10k')).toThrow(/t10k-labels-idx1-ubyte: 2 labels do not match the 3 images of .*t10k-images-idx3-ubyte/);
    expect(() => readIdxPair(dir, 'train')).toThrow('neither train-images-idx3-ubyte nor train-images-idx3-ubyte.gz found');
  });
});

describe('hostile or broken data are refused before training, naming the file', () => {
  const images = (n: number, side = 2) => idx([n, side, side], new Array(n * side * side).fill(7));
  const labels = (values: number[]) => idx([values.length], values);

  test('a label beyond the ten classes, and an empty set', () => {
    const dir = dirWith({ 'train-images-idx3-ubyte': images(3), 'train-labels-idx1-ubyte': labels([1, 200, 3]) });
    expect(() => readIdxPair(dir, 'train')).toThrow(`${join(dir, 'train-labels-idx1-ubyte')}: label 200 at index 1 is out of range for 10 classes (0 to 9)`);
    const empty = dirWith({ 'train-images-idx3-ubyte': images(0), 'train-labels-idx1-ubyte': labels([]) });
    expect(() => readIdxPair(empty, 'train')).toThrow('holds no images');
  });

  test('a gzip bomb stops at the size its IDX header declares', () => {
    const header = idx([1, 1, 1], [0]);
    const bomb = gzipSync(Buffer.concat([Buffer.from(header), Buffer.alloc(64 * 1024 * 1024)]));
    expect(bomb.length).toBeLessThan(200_000);
    expect(() => parseIdx(bomb, 'bomb.gz')).toThrow('bomb.gz: it inflates beyond the size its IDX header declares');
  });

  test('FIFOs, directories and symbolic link loops are refused by name', () => {
    const dir = dirWith({ 'train-labels-idx1-ubyte': labels([1]) });
    mkdirSync(join(dir, 'train-images-idx3-ubyte'));
    expect(() => readIdxPair(dir, 'train')).toThrow(`${join(dir, 'train-images-idx3-ubyte')}: is a directory, not a regular file`);
    const fifo = dirWith({ 'train-labels-idx1-ubyte': labels([1]) });
    execFileSync('mkfifo', [join(fifo, 'train-images-idx3-ubyte')]);
    expect(() => readIdxPair(fifo, 'train')).toThrow('is a FIFO, not a regular file');
    const loop = dirWith({ 'train-labels-idx1-ubyte': labels([1]) });
    symlinkSync(join(loop, 'train-images-idx3-ubyte'), join(loop, 'train-images-idx3-ubyte'));
    expect(() => readIdxPair(loop, 'train')).toThrow(`${join(loop, 'train-images-idx3-ubyte')}: a symbolic link loop`);
  });
});

test('training and test images of different sizes are refused', () => {
  const dir = dirWith({
    'train-images-idx3-ubyte': idx([1, 2, 2], [1, 2, 3, 4]),
    'train-labels-idx1-ubyte': idx([1], [1]),
    't10k-images-idx3-ubyte': idx([1, 3, 3], new Array(9).fill(1)),
    't10k-labels-idx1-ubyte': idx([1], [2]),
  });
  expect(() => loadSplits(dir)).toThrow(`${dir}: the training images have 4 pixels each but the test images 9; both sets must have one image size`);
});
