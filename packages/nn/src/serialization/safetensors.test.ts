import fs from 'node:fs';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noGrad, tensor } from '@wick/core';
import * as testing from '@wick/core/testing';
import interop from '../../golden/interop.json';
import { Linear, ReLU, Sequential } from '../index';
import { deserialize, load, loadWithMetadata, save, serialize, writeFileAtomic } from './index';

const golden = join(__dirname, '..', '..', 'golden');
const mlp = () => new Sequential(new Linear(20, 16), new ReLU(), new Linear(16, 10));
const input = () => tensor(interop.input, { shape: [5, 20] });

/** A safetensors file from a header object and data bytes, for building bad files. */
function file(header: unknown, data = new Uint8Array(0), headerText = JSON.stringify(header)): Uint8Array {
  const h = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe('safetensors', () => {
  test('round-trips every dtype exactly', () => {
    const state = {
      w: tensor([[1.5, -2.25], [3e-8, 4]]),
      d: tensor(new Float64Array([Math.PI])),
      i: tensor([2 ** 53 - 1, -7], { dtype: 'int64' }),
      b: tensor([true, false]),
    };
    const back = deserialize(serialize(state, { format: 'pt' }));
    expect(Object.keys(back)).toEqual(['w', 'd', 'i', 'b']);
    for (const [k, t] of Object.entries(state)) {
      expect(back[k].dtype).toBe(t.dtype);
      expect(back[k].toArray()).toEqual(t.toArray());
    }
  });

  test('save and load a model through a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wick-'));
    const a = mlp();
    save(a.stateDict(), join(dir, 'model.safetensors'));
    const b = mlp();
    b.loadStateDict(load(join(dir, 'model.safetensors')));
    testing.assertClose(b.forward(input()), a.forward(input()), { rtol: 0, atol: 0 });
  });

  test("weights trained in PyTorch load into Wick and give PyTorch's predictions", () => {
    const model = mlp();
    model.loadStateDict(load(join(golden, 'torch_mlp.safetensors')));
    testing.assertClose(model.forward(input()), tensor(interop.torchPredictions, { shape: [5, 10] }), { rtol: 1e-5, atol: 1e-6 });
  });

  test("a Wick file loads into PyTorch (load_state_dict, strict) and gives Wick's predictions", () => {
    // scripts/golden/safetensors_interop.py had PyTorch read wick_mlp.safetensors; Wick must
    // still write exactly those bytes for the same weights.
    const model = mlp();
    model.loadStateDict(load(join(golden, 'torch_mlp.safetensors')));
    noGrad(() => model.parameters().forEach((p) => p.mul_(0.5)));
    expect(Buffer.from(serialize(model.stateDict())).equals(readFileSync(join(golden, 'wick_mlp.safetensors')))).toBe(true);
    testing.assertClose(model.forward(input()), tensor(interop.wickFilePredictions, { shape: [5, 10] }), { rtol: 1e-5, atol: 1e-6 });
  });

  describe('untrusted files give a clear error and load nothing', () => {
    const f32 = (n: number) => new Uint8Array(4 * n);
    test.each([
      ['too short', new Uint8Array(4), 'too short (4 bytes)'],
      ['header length beyond the file', (() => { const b = file({}); new DataView(b.buffer).setBigUint64(0, 1000n, true); return b; })(), 'header length 1000 exceeds'],
      ['malformed JSON', file(null, undefined, '{"a": [1,'), 'malformed JSON header'],
      ['not an object', file([1, 2]), 'the header is not a JSON object'],
      ['unknown dtype', file({ a: { dtype: 'F8', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)), `tensor 'a': unknown or unsupported dtype "F8"`],
      ['offsets out of range', file({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, f32(1)), "tensor 'a': data_offsets [0, 8] are out of range for 4 bytes"],
      ['size not matching the byte range', file({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, f32(2)), "tensor 'a' of dtype F32 and shape [3] needs 12 bytes, but its data_offsets span 8"],
      ['overlapping tensors', file({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, f32(3)), "tensor 'b' overlaps the tensor before it in the data (it starts at byte 4, before 8)"],
      ['a gap between tensors', file({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, f32(3)), "tensor 'b' starts at byte 8, leaving a gap after byte 4 of the data"],
      ['trailing bytes', file({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32(2)), 'the tensors cover 4 bytes of data, but the file holds 8 (trailing or missing bytes)'],
      ['non-string metadata', file({ __metadata__: { epochs: 3 } }), "__metadata__ 'epochs' must be a string, got 3"],
      ['a key named twice', file(null, f32(2), '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}'), "the header names 'a' more than once"],
      ['a 150 MB header length', (() => { const b = file({}); new DataView(b.buffer).setBigUint64(0, 150_000_000n, true); return b; })(), 'header length 150000000 exceeds the 100000000-byte limit'],
      ['bad shape', file({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, f32(1)), "tensor 'a': invalid shape [-1]"],
    ])('%s', (_name, bytes, message) => {
      expect(() => deserialize(bytes as Uint8Array, 'bad.safetensors')).toThrow(`bad.safetensors: ${message}`);
    });

    test("tensors named '__proto__' or 'constructor' are tensors like any other", () => {
      const loaded = deserialize(file(null, f32(2), '{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"constructor":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}'));
      expect(Object.keys(loaded).sort()).toEqual(['__proto__', 'constructor']);
      expect(Object.getPrototypeOf(loaded)).toBeNull();
    });

    test('loadWithMetadata returns the metadata saved with the tensors', () => {
      const path = join(mkdtempSync(join(tmpdir(), 'meta-')), 'm.safetensors');
      save({ w: tensor([1, 2]) }, path, { format: 'pt', note: '{"epoch":3}' });
      const { tensors, metadata } = loadWithMetadata(path);
      expect(Array.from(tensors.w.dataSync())).toEqual([1, 2]);
      expect({ ...metadata }).toEqual({ format: 'pt', note: '{"epoch":3}' });
      save({ w: tensor([1]) }, path);
      expect({ ...loadWithMetadata(path).metadata }).toEqual({});
    });

    test('save() refuses metadata that is not string to string', () => {
      expect(() => serialize({}, { epochs: 3 } as unknown as Record<string, string>)).toThrow("serialize: __metadata__ 'epochs' must be a string, got 3");
    });
  });
});

describe('files over 2 GiB', () => {
  // A sparse file (its zeros take no disk): two 1 GiB tensors and a small one after them, past the
  // 2 GiB that one Node read, and so readFileSync, allows.
  test('load reads them tensor by tensor, each value from its place', () => {
    const dir = mkdtempSync(join(tmpdir(), 'large-'));
    const path = join(dir, 'large.safetensors');
    const big = 2 ** 28;
    const header = JSON.stringify({
      a: { dtype: 'F32', shape: [big], data_offsets: [0, 4 * big] },
      b: { dtype: 'F32', shape: [big], data_offsets: [4 * big, 8 * big] },
      c: { dtype: 'F32', shape: [2], data_offsets: [8 * big, 8 * big + 8] },
    });
    const head = file(JSON.parse(header), new Uint8Array(0), header);
    const dataStart = head.length;
    const f32 = (...values: number[]) => new Uint8Array(new Float32Array(values).buffer);
    const fd = fs.openSync(path, 'w');
    try {
      fs.writeSync(fd, head, 0, head.length, 0);
      fs.writeSync(fd, f32(7), 0, 4, dataStart);
      fs.writeSync(fd, f32(9), 0, 4, dataStart + 8 * big - 4);
      fs.writeSync(fd, f32(1.5, -2), 0, 8, dataStart + 8 * big);
    } finally {
      fs.closeSync(fd);
    }
    expect(fs.statSync(path).size).toBeGreaterThan(2 ** 31);
    const loaded = load(path);
    expect(loaded.a.shape).toEqual([big]);
    const a = loaded.a.dataSync();
    const b = loaded.b.dataSync();
    expect([a[0], a[1], a[big - 1], b[0], b[big - 1]]).toEqual([7, 0, 0, 0, 9]);
    expect(Array.from(loaded.c.dataSync())).toEqual([1.5, -2]);
    fs.rmSync(dir, { recursive: true });
  }, 120_000);
});

describe('writeFileAtomic', () => {
  test('replaces the file whole and leaves no temporary file; a failure names the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const path = join(dir, 'metrics.json');
    writeFileAtomic(path, '{"a":1}');
    writeFileAtomic(path, '{"a":2}');
    expect(readFileSync(path, 'utf8')).toBe('{"a":2}');
    expect(readdirSync(dir)).toEqual(['metrics.json']);
    expect(() => writeFileAtomic(join(dir, 'missing', 'x.json'), 'x')).toThrow(`${join(dir, 'missing', 'x.json')}: could not be written (ENOENT); any previous file there is unchanged`);
  });

  test('a full disk part way through leaves the previous file whole and no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const path = join(dir, 'model.safetensors');
    writeFileAtomic(path, new Uint8Array(1000).fill(1));
    const real = fs.writeSync;
    let calls = 0;
    // The first write lands 100 bytes, the next finds the disk full, as write(2) does.
    const spy = jest.spyOn(fs, 'writeSync').mockImplementation(((fd: number, data: Uint8Array) => {
      if (++calls > 1) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return real(fd, data.subarray(0, 100));
    }) as typeof fs.writeSync);
    try {
      expect(() => writeFileAtomic(path, new Uint8Array(5000).fill(2))).toThrow(`${path}: could not be written (ENOSPC); any previous file there is unchanged`);
    } finally {
      spy.mockRestore();
    }
    expect(calls).toBe(2);
    expect(readFileSync(path)).toEqual(Buffer.from(new Uint8Array(1000).fill(1)));
    expect(readdirSync(dir)).toEqual(['model.safetensors']);
  });
});
