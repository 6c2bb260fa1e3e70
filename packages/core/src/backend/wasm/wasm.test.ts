import {
  Generator, availableBackends, cpuKernels, createWasmBackend, getNumThreads, loadWasmBackend, maxNumThreads, randn, ready, setNumThreads,
  type Backend, type FastKernel, type KernelName, type Kernels, type MatrixOperand, type Strided,
} from '../../index';
import { Gemm } from './gemm';
import { convKernels } from './conv';
import { createWasmBackendOf } from './index';
import { createArena, preferredBuild, startThreads, type KernelBuild } from './load';
import { nextWord } from '../cpu/mt19937';
import type { Mt19937State } from '../types';

const wasm = createWasmBackend();
const build: KernelBuild = preferredBuild() ?? 'simd';

/** Whether two float32 arrays hold the same bits. */
function same(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer).equals(Buffer.from(b.buffer));
}

/** Runs `backend`'s fast kernel `name`, after checking it takes this call itself (no fallback to the plain kernel). */
function fast<K extends KernelName>(backend: Backend | null, name: K, ...args: Parameters<Kernels[K]>): ReturnType<Kernels[K]> {
  const kernel = backend?.kernels[name] as FastKernel<K>;
  expect((kernel.supports as (...a: unknown[]) => boolean)(...args)).toBe(true);
  return (kernel.run as (...a: unknown[]) => ReturnType<Kernels[K]>)(...args);
}

/** The same, on the default wasm backend. */
function inWasm<K extends KernelName>(name: K, ...args: Parameters<Kernels[K]>): ReturnType<Kernels[K]> {
  return fast(wasm, name, ...args);
}

describe('the wasm GEMM', () => {
  test('buffers beyond what WebAssembly memory can hold are a RangeError naming their bytes', () => {
    const arena = createArena(build);
    expect(() => arena?.layout([2 ** 33])).toThrow(RangeError);
    expect(() => arena?.layout([2 ** 33])).toThrow(/^wasm backend: this op's buffers take 8590000128 bytes, more than its WebAssembly memory can grow to/);
  });

  test('is available here (Node 20 has WebAssembly SIMD), in the build with fused multiply-adds (relaxed SIMD, behind a flag that loading turns on)', () => {
    expect(availableBackends()).toEqual(['cpu', 'wasm']);
    expect(wasm?.kernels.matmul).toBeDefined();
    expect(build).toBe('fma');
  });

  // 1 * -(1 + 2^-11) + (1 + 2^-12)^2: the square is 1 + 2^-11 + 2^-24, which float32 rounds to
  // 1 + 2^-11 (a tie, to even), so multiplying and then adding gives 0; fused, the sum is exact.
  test.each([
    ['fma', 2 ** -24],
    ['simd', 0],
  ] as const)('the %s build rounds the micro-kernel multiply-add as it should (fused once on this x86-64 with FMA)', (kernels, expected) => {
    const a: MatrixOperand = { data: Float32Array.from([1, 1 + 2 ** -12]), offset: 0, batchStrides: [], transposed: false };
    const b: MatrixOperand = { data: Float32Array.from([-(1 + 2 ** -11), 1 + 2 ** -12]), offset: 0, batchStrides: [], transposed: false };
    const out = new Float32Array(1).fill(NaN);
    fast(createWasmBackendOf(kernels), 'matmul', a, b, null, out, [], 1, 2, 1);
    expect(out[0]).toBe(expected);
  });

  const g = new Generator(11);
  // Sizes off the 4x8 tile grid, every layout, a broadcast batch, a bias row (off the grid too),
  // and the training step's shapes, on both builds.
  const builds = [createWasmBackendOf('fma'), createWasmBackendOf('simd')];
  test.each([
    [1, 1, 1, false, false, [], false],
    [5, 3, 7, false, false, [], true],
    [13, 17, 9, true, false, [], false],
    [6, 10, 11, false, true, [], true],
    [7, 5, 3, true, true, [], false],
    [4, 6, 8, false, false, [3], true],
    [64, 784, 128, false, true, [], true],
    [128, 64, 784, true, false, [], false],
    [64, 128, 784, false, false, [], false],
  ] as const)('m=%i k=%i n=%i, A transposed %s, B transposed %s, batch %j, bias %s', (m, k, n, ta, tb, batch, withBias) => {
    const batches = batch.reduce((x, y) => x * y, 1);
    const a = randn([batches * m * k], { generator: g }).dataSync();
    const b = randn([k * n], { generator: g }).dataSync();
    const bias = withBias ? randn([n], { generator: g }).dataSync() : null;
    const opA: MatrixOperand = { data: a, offset: 0, batchStrides: batch.length ? [m * k] : [], transposed: ta };
    const opB: MatrixOperand = { data: b, offset: 0, batchStrides: batch.map(() => 0), transposed: tb };
    const expected = new Float32Array(batches * m * n);
    cpuKernels.matmul(opA, opB, bias, expected, batch, m, k, n);
    for (const backend of builds) {
      const actual = new Float32Array(batches * m * n).fill(NaN);
      fast(backend, 'matmul', opA, opB, bias, actual, batch, m, k, n);
      for (let i = 0; i < expected.length; i++) {
        expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(1e-5 * Math.sqrt(k) * (1 + Math.abs(expected[i])));
      }
    }
  });

  test('the plain GEMM with a bias is the product plus the bias on every row', () => {
    const a: MatrixOperand = { data: Float32Array.from([1, 2, 3, 4]), offset: 0, batchStrides: [], transposed: false };
    const b: MatrixOperand = { data: Float32Array.from([1, 0, 2, 0, 1, 3]), offset: 0, batchStrides: [], transposed: false };
    const out = new Float32Array(6);
    cpuKernels.matmul(a, b, Float32Array.from([10, 20, 30]), out, [], 2, 2, 3);
    expect(Array.from(out)).toEqual([11, 22, 38, 13, 24, 48]);
  });

  test('the plain GEMM propagates NaN and infinity from B even where A is zero, as torch does', () => {
    const a: MatrixOperand = { data: Float32Array.from([0, 1]), offset: 0, batchStrides: [], transposed: false };
    const b: MatrixOperand = { data: Float32Array.from([Infinity, 2]), offset: 0, batchStrides: [], transposed: false };
    const out = new Float32Array(1);
    cpuKernels.matmul(a, b, null, out, [], 1, 2, 1);
    expect(out[0]).toBeNaN();
  });
});

describe('the wasm elementwise kernels', () => {
  // Special values in every lane position and a tail that is not a multiple of four.
  const x = Float32Array.from([-1, 0, -0, 2, NaN, Infinity, -Infinity, 1e-30, -1e-30, 3, -2, NaN, 5]);
  const g = Float32Array.from([1, 2, 3, NaN, 5, -6, Infinity, 8, 9, NaN, 11, 12, -13]);
  const dense = (data: Float32Array): Strided => ({ data, offset: 0, strides: [1] });

  test('relu equals the plain kernel bit for bit (NaN kept, +0 for x <= 0)', () => {
    const expected = new Float32Array(x.length);
    const actual = new Float32Array(x.length).fill(7);
    cpuKernels.unary('relu', x, expected);
    inWasm('unary', 'relu', x, actual);
    expect(same(actual, expected)).toBe(true);
    expect(Object.is(actual[2], 0)).toBe(true);
  });

  test('relu backward passes g where the output is positive and 0 elsewhere, NaN g included', () => {
    const y = new Float32Array(x.length);
    cpuKernels.unary('relu', x, y);
    const expected = new Float32Array(x.length);
    const actual = new Float32Array(x.length).fill(7);
    cpuKernels.reluBackward(g, y, expected);
    inWasm('reluBackward', g, y, actual);
    expect(same(actual, expected)).toBe(true);
    expect(Array.from(actual)).toEqual([0, 0, 0, NaN, 0, -6, 0, 8, 0, NaN, 0, 0, -13]);
  });

  test.each(['add', 'sub', 'mul', 'div'] as const)('%s equals the plain kernel bit for bit, elementwise and with a broadcast scalar', (op) => {
    const expected = new Float32Array(x.length);
    const actual = new Float32Array(x.length).fill(7);
    cpuKernels.binary(op, dense(x), dense(g), [x.length], expected);
    inWasm('binary', op, dense(x), dense(g), [x.length], actual);
    expect(same(actual, expected)).toBe(true);
    // b is one value (stride 0) read from an offset; a starts at an offset too.
    const shape = [x.length - 1];
    const a: Strided = { data: x, offset: 1, strides: [1] };
    const b: Strided = { data: g, offset: 4, strides: [0] };
    const expectedScalar = new Float32Array(shape[0]);
    const actualScalar = new Float32Array(shape[0]).fill(7);
    cpuKernels.binary(op, a, b, shape, expectedScalar);
    inWasm('binary', op, a, b, shape, actualScalar);
    expect(same(actualScalar, expectedScalar)).toBe(true);
  });

  test.each([
    [1, 64, 128],
    [3, 5, 10],
    [2, 7, 4],
  ])('sums over the middle of (%i, %i, %i) give the plain kernel\'s bits (float64 accumulation in order)', (outer, size, inner) => {
    const x = randn([outer * size * inner], { generator: new Generator(outer * 100 + inner) }).dataSync() as Float32Array;
    x[0] = 1e8; // a large first term, after which float32 accumulation would round differently
    const expected = new Float32Array(outer * inner);
    const actual = new Float32Array(outer * inner).fill(7);
    cpuKernels.reduce('sum', x, outer, size, inner, expected);
    inWasm('reduce', 'sum', x, outer, size, inner, actual);
    expect(same(actual, expected)).toBe(true);
  });

  test.each([
    [4096, 576, 'float64'],
    [7, 33, 'float32'],
    [6, 5, 'float64'],
  ] as const)('sums of the %i rows of %i give the plain kernel\'s bits, into %s (four rows at a time, each in order)', (rows, size, outType) => {
    const x = randn([rows * size], { generator: new Generator(rows + size) }).dataSync() as Float32Array;
    x[size] = 1e8; // the second row: a large first term, after which float32 accumulation would round differently
    const make = () => (outType === 'float64' ? new Float64Array(rows) : new Float32Array(rows)).fill(7);
    const [expected, actual] = [make(), make()];
    cpuKernels.reduce('sum', x, rows, size, 1, expected);
    inWasm('reduce', 'sum', x, rows, size, 1, actual);
    expect(Buffer.from(actual.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
  });

  test('random operands give the same bits as the plain kernels (rounding of +, -, *, /)', () => {
    const gen = new Generator(3);
    const n = 1001;
    const a = randn([n], { generator: gen }).dataSync() as Float32Array;
    const b = randn([n], { generator: gen }).dataSync() as Float32Array;
    for (const op of ['add', 'sub', 'mul', 'div'] as const) {
      const expected = new Float32Array(n);
      const actual = new Float32Array(n);
      cpuKernels.binary(op, dense(a), dense(b), [n], expected);
      inWasm('binary', op, dense(a), dense(b), [n], actual);
      expect(same(actual, expected)).toBe(true);
    }
  });

  // b broadcast over trailing dims, as a bias (1, C, 1, 1) over (N, C, H, W): a call per run.
  test.each<[string, number[], number[], number, number]>([
    ['a channel bias (1, 5, 1, 1)', [3, 5, 9, 8], [0, 1, 0, 0], 0, 5],
    ['per image and channel, at an offset (3, 5, 1, 1)', [3, 5, 9, 8], [5, 1, 0, 0], 2, 17],
    ['strided and size-1 dims (2, 1, 3, 1, 70)', [2, 1, 3, 1, 70], [7, 0, 2, 0, 0], 1, 14],
  ])('%s gives the plain kernel\'s bits', (_, shape, bStrides, bOffset, bLength) => {
    const gen = new Generator(5);
    const n = shape.reduce((x, y) => x * y, 1);
    const a = randn([n], { generator: gen }).dataSync() as Float32Array;
    const b = randn([bLength], { generator: gen }).dataSync() as Float32Array;
    const aStrides = shape.map((_s, d) => shape.slice(d + 1).reduce((x, y) => x * y, 1));
    const bOperand = { data: b, strides: bStrides, offset: bOffset };
    for (const op of ['add', 'sub', 'mul', 'div'] as const) {
      const expected = new Float32Array(n);
      const actual = new Float32Array(n);
      cpuKernels.binary(op, { data: a, strides: aStrides, offset: 0 }, bOperand, shape, expected);
      inWasm('binary', op, { data: a, strides: aStrides, offset: 0 }, bOperand, shape, actual);
      expect(same(actual, expected)).toBe(true);
    }
  });

  test('b broadcast in runs too short to pay stays with the plain kernel', () => {
    const b = new Float32Array(4);
    const supports = wasm?.kernels.binary?.supports as (...args: unknown[]) => boolean;
    expect(supports('add', { data: new Float32Array(4 * 8), strides: [8, 1], offset: 0 }, { data: b, strides: [1, 0], offset: 0 }, [4, 8], new Float32Array(32))).toBe(false);
  });
});

describe('the wasm window kernels', () => {
  // Strides, padding, dilation and windows that start or end in the padding.
  test.each([
    [2, 3, 7, 6, 3, 2, 1, 0, 1, 2, 1, 1],
    [1, 2, 9, 8, 3, 3, 2, 1, 2, 3, 2, 1],
    [3, 1, 5, 5, 2, 2, 0, 0, 1, 1, 1, 1],
  ])('im2col and col2im give the plain kernels\' bits (%#)', (batch, channels, height, width, kernelH, kernelW, padH, padW, strideH, strideW, dilationH, dilationW) => {
    const outH = Math.floor((height + 2 * padH - dilationH * (kernelH - 1) - 1) / strideH) + 1;
    const outW = Math.floor((width + 2 * padW - dilationW * (kernelW - 1) - 1) / strideW) + 1;
    const g = { batch, channels, height, width, kernelH, kernelW, padH, padW, strideH, strideW, dilationH, dilationW, outH, outW };
    const x = randn([batch * channels * height * width], { generator: new Generator(31) }).dataSync() as Float32Array;
    const cols = channels * kernelH * kernelW * outH * outW * batch;
    const [plain, fast] = [new Float32Array(cols), new Float32Array(cols).fill(7)];
    cpuKernels.im2col(x, g, plain);
    inWasm('im2col', x, g, fast);
    expect(same(fast, plain)).toBe(true);
    const back = [new Float32Array(x.length), new Float32Array(x.length).fill(7)];
    cpuKernels.col2im(plain, g, back[0]);
    inWasm('col2im', plain, g, back[1]);
    expect(same(back[1], back[0])).toBe(true);
  });
});

describe('the wasm max-pooling kernels', () => {
  const windows = { padH: 0, padW: 0, dilationH: 1, dilationW: 1 };
  test.each([
    ['padded and dilated windows', { batch: 2, channels: 3, height: 9, width: 8, kernelH: 3, kernelW: 2, padH: 1, padW: 1, strideH: 2, strideW: 2, dilationH: 1, dilationW: 2, outH: 5, outW: 4 }],
    ['2x2 windows, stride 2 (every window inside)', { batch: 2, channels: 3, height: 9, width: 8, kernelH: 2, kernelW: 2, ...windows, strideH: 2, strideW: 2, outH: 4, outW: 4 }],
    ['3x3 overlapping windows, stride 1 (every window inside)', { batch: 2, channels: 3, height: 9, width: 8, kernelH: 3, kernelW: 3, ...windows, strideH: 1, strideW: 1, outH: 7, outW: 6 }],
    ['1x2 windows, stride 1x3 (every window inside, lanes gathered one by one)', { batch: 2, channels: 3, height: 4, width: 18, kernelH: 1, kernelW: 2, ...windows, strideH: 1, strideW: 3, outH: 4, outW: 6 }],
  ])("%s: forward values, indices and backward give the plain kernels' results, NaN and -infinity included", (_name, g) => {
    const x = randn([2 * 3 * 9 * 8], { generator: new Generator(41) }).dataSync() as Float32Array;
    x.set([NaN, -Infinity, -Infinity, NaN], 10);
    // A window of -infinity only (rows 2 and 3, columns 0 and 1 of the second plane), and two NaNs in one.
    for (const at of [72 + 16, 72 + 17, 72 + 24, 72 + 25]) x[at] = -Infinity;
    x.set([NaN, 0, NaN], 144 + 40);
    const n = 2 * 3 * g.outH * g.outW;
    const [v0, i0, v1, i1] = [new Float32Array(n), new Float64Array(n), new Float32Array(n).fill(7), new Float64Array(n).fill(7)];
    cpuKernels.maxPool2dForward(x, g, v0, i0);
    inWasm('maxPool2dForward', x, g, v1, i1);
    expect(same(v1, v0)).toBe(true);
    expect(Array.from(i1)).toEqual(Array.from(i0));
    const gOut = randn([n], { generator: new Generator(42) }).dataSync() as Float32Array;
    const [d0, d1] = [new Float32Array(x.length), new Float32Array(x.length).fill(7)];
    const [planes, inputs, outputs] = [2 * 3, g.height * g.width, g.outH * g.outW];
    cpuKernels.maxPool2dBackward(gOut, i0, planes, inputs, outputs, d0);
    inWasm('maxPool2dBackward', gOut, i0, planes, inputs, outputs, d1);
    expect(same(d1, d0)).toBe(true);
  });

  // Adaptive windows, overlapping (9 rows into 4, 8 columns into 5), over NaNs and -infinity:
  // rows 2 to 4, columns 0 and 1 of the second plane, its window (1, 0), hold -infinity only.
  test("adaptive windows: forward values and indices give the plain kernel's results, NaN and -infinity included", () => {
    const x = randn([2 * 3 * 9 * 8], { generator: new Generator(43) }).dataSync() as Float32Array;
    x.set([NaN, -Infinity, -Infinity, NaN], 10);
    for (const at of [72 + 16, 72 + 17, 72 + 24, 72 + 25, 72 + 32, 72 + 33]) x[at] = -Infinity;
    const bounds = (size: number, out: number) => Array.from({ length: out }, (_, i) => [Math.floor((i * size) / out), Math.ceil(((i + 1) * size) / out)]).flat();
    const w = { planes: 6, height: 9, width: 8, outH: 4, outW: 5, rows: bounds(9, 4), cols: bounds(8, 5) };
    const n = 6 * 4 * 5;
    const [v0, i0, v1, i1] = [new Float32Array(n), new Float64Array(n), new Float32Array(n).fill(7), new Float64Array(n).fill(7)];
    cpuKernels.adaptiveMaxPool2dForward(x, w, v0, i0);
    inWasm('adaptiveMaxPool2dForward', x, w, v1, i1);
    expect(same(v1, v0)).toBe(true);
    expect(Array.from(i1)).toEqual(Array.from(i0));
    expect([v0[20 + 5], i0[20 + 5]]).toEqual([-Infinity, 16]);
  });
});

describe('the wasm average-pooling kernels', () => {
  // Overlapping and clipped windows (as padding and ceilMode give), adaptive ones, and a divisor per position.
  test.each([
    [{ planes: 6, height: 9, width: 8, outH: 5, outW: 4, rows: [0, 2, 1, 4, 3, 6, 5, 8, 7, 9], cols: [0, 2, 1, 4, 3, 6, 5, 8], divisors: Array.from({ length: 20 }, (_, i) => 9 - (i % 5)) }],
    [{ planes: 3, height: 10, width: 9, outH: 4, outW: 5, rows: [0, 3, 2, 5, 5, 8, 7, 10], cols: [0, 2, 1, 4, 3, 6, 5, 8, 7, 9], divisors: Array.from({ length: 20 }, () => 6) }],
  ])("forward and backward give the plain kernels' bits (%#)", (windows) => {
    const g = new Generator(43);
    const x = randn([windows.planes * windows.height * windows.width], { generator: g }).dataSync() as Float32Array;
    const n = windows.planes * windows.outH * windows.outW;
    const [out0, out1] = [new Float32Array(n), new Float32Array(n).fill(NaN)];
    cpuKernels.averagePool2dForward(x, windows, out0);
    inWasm('averagePool2dForward', x, windows, out1);
    expect(same(out1, out0)).toBe(true);
    const gOut = randn([n], { generator: g }).dataSync() as Float32Array;
    const [d0, d1] = [new Float32Array(x.length), new Float32Array(x.length).fill(NaN)];
    cpuKernels.averagePool2dBackward(gOut, windows, d0);
    inWasm('averagePool2dBackward', gOut, windows, d1);
    expect(same(d1, d0)).toBe(true);
  });
});

describe('the wasm Adadelta update', () => {
  test('runs in wasm and agrees with the plain kernel to float32 rounding', () => {
    const n = 1003;
    const gen = new Generator(51);
    const init = () => [0, 1, 2, 3].map(() => (randn([n], { generator: gen }).dataSync() as Float32Array).map(Math.abs));
    const [p, grad, v, u] = init();
    const plain = [p, v, u].map((a) => a.slice());
    const fast = [p, v, u].map((a) => a.slice());
    const h = { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0.01, maximize: false };
    cpuKernels.adadeltaStep(plain[0], grad, plain[1], plain[2], h);
    inWasm('adadeltaStep', fast[0], grad, fast[1], fast[2], h);
    fast.forEach((a, k) => a.forEach((x, i) => expect(Math.abs(x - plain[k][i])).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(plain[k][i])))));
  });
});

describe('the wasm normalization kernels', () => {
  /** a and b within float32 rounding of sums over n values. */
  const near = (a: Float32Array, b: Float32Array) => {
    expect(a.length).toBe(b.length);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(b[i])));
  };
  // Runs whose length is a multiple of four and runs with a tail; one value per channel and
  // sample (channels side by side), with whole groups of four channels and with a tail.
  test.each([
    [{ outer: 4, channels: 3, inner: 20 }],
    [{ outer: 3, channels: 2, inner: 7 }],
    [{ outer: 9, channels: 8, inner: 1 }],
    [{ outer: 5, channels: 11, inner: 1 }],
  ])('statistics, normalization and gradients agree with the plain kernels (%j)', (layout) => {
    const n = layout.outer * layout.channels * layout.inner;
    const g = new Generator(13);
    const x = randn([n], { generator: g }).add(3).dataSync() as Float32Array;
    const gOut = randn([n], { generator: g }).dataSync() as Float32Array;
    const weight = randn([layout.channels], { generator: g }).dataSync() as Float32Array;
    const stats = () => [0, 1, 2].map(() => new Float32Array(layout.channels).fill(NaN));
    const [m0, s0, v0] = stats();
    const [m1, s1, v1] = stats();
    cpuKernels.channelStats(x, layout, 1e-5, m0, s0, v0);
    inWasm('channelStats', x, layout, 1e-5, m1, s1, v1);
    [[m1, m0], [s1, s0], [v1, v0]].forEach(([a, b]) => near(a, b));
    const [out0, out1] = [new Float32Array(n), new Float32Array(n).fill(NaN)];
    cpuKernels.channelAffine(x, layout, s0, weight, out0);
    inWasm('channelAffine', x, layout, s0, weight, out1);
    near(out1, out0);
    for (const training of [true, false]) {
      for (const w of [weight, null]) {
        const grads = () => [new Float32Array(n).fill(NaN), new Float32Array(layout.channels).fill(NaN), new Float32Array(layout.channels).fill(NaN)];
        const plain = grads();
        const fastGrads = grads();
        cpuKernels.batchNormBackward(x, gOut, layout, m0, s0, w, training, plain[0], plain[1], plain[2]);
        inWasm('batchNormBackward', x, gOut, layout, m0, s0, w, training, fastGrads[0], fastGrads[1], fastGrads[2]);
        fastGrads.forEach((a, i) => near(a, plain[i]));
      }
    }
    // Outputs not wanted are left alone.
    const onlyBias = new Float32Array(layout.channels).fill(NaN);
    inWasm('batchNormBackward', x, gOut, layout, m0, s0, weight, true, null, null, onlyBias);
    const plainBias = new Float32Array(layout.channels);
    cpuKernels.batchNormBackward(x, gOut, layout, m0, s0, weight, true, null, null, plainBias);
    near(onlyBias, plainBias);
  });

  test.each([[6, 12], [5, 10]])('layer norm forward and gradients agree with the plain kernels (%i rows of %i)', (rows, size) => {
    const n = rows * size;
    const g = new Generator(17);
    const x = randn([n], { generator: g }).dataSync() as Float32Array;
    const gOut = randn([n], { generator: g }).dataSync() as Float32Array;
    const [weight, bias] = [0, 1].map(() => randn([size], { generator: g }).dataSync() as Float32Array);
    const [mean, rstd] = [0, 1].map(() => new Float32Array(rows));
    for (const [w, b] of [[weight, bias], [null, null], [weight, null]] as const) {
      const [out0, out1] = [new Float32Array(n), new Float32Array(n).fill(NaN)];
      const [mean1, rstd1] = [0, 1].map(() => new Float32Array(rows).fill(NaN));
      cpuKernels.layerNormForward(x, rows, size, 1e-5, w, b, out0, mean, rstd);
      inWasm('layerNormForward', x, rows, size, 1e-5, w, b, out1, mean1, rstd1);
      [[out1, out0], [mean1, mean], [rstd1, rstd]].forEach(([a, b]) => near(a, b));
      const grads = () => [new Float32Array(n).fill(NaN), new Float32Array(size).fill(NaN), new Float32Array(size).fill(NaN)];
      const [plain, fastGrads] = [grads(), grads()];
      cpuKernels.layerNormBackward(x, gOut, rows, size, mean, rstd, w, plain[0], plain[1], plain[2]);
      inWasm('layerNormBackward', x, gOut, rows, size, mean, rstd, w, fastGrads[0], fastGrads[1], fastGrads[2]);
      fastGrads.forEach((a, i) => near(a, plain[i]));
    }
    const onlyInput = new Float32Array(n).fill(NaN);
    inWasm('layerNormBackward', x, gOut, rows, size, mean, rstd, weight, onlyInput, null, null);
    const plainInput = new Float32Array(n);
    cpuKernels.layerNormBackward(x, gOut, rows, size, mean, rstd, weight, plainInput, null, null);
    near(onlyInput, plainInput);
  });
});

describe('the wasm softmax kernels', () => {
  /** Checks a and b agree to one float32 ulp everywhere (NaN where the other is NaN) and returns how many differ at all. */
  const ulpsApart = (a: Float32Array, b: Float32Array): number => {
    let differing = 0;
    for (let i = 0; i < a.length; i++) {
      if (Object.is(a[i], b[i])) continue;
      differing++;
      expect(Number.isFinite(b[i])).toBe(true);
      const ulp = Math.max(Math.abs(b[i]) * 2 ** -23, 2 ** -149);
      expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(ulp);
    }
    return differing;
  };
  // Rows of random logits of odd and even length, plus rows with -inf, a row of all -inf (NaN out,
  // as in torch), a row with NaN, and logits far apart (exponentials that underflow).
  const size = 7;
  const rows = 40;
  const x = randn([rows * size], { generator: new Generator(21) }).mul(4).dataSync() as Float32Array;
  x.set([-Infinity, 0, 1, -Infinity, 2, 3, 4], 0);
  x.fill(-Infinity, size, 2 * size);
  x.set([1, NaN, 2, 3, 4, 5, 6], 2 * size);
  x.set([1000, -1000, 0, 900, -5000, 1e30, -1e30], 3 * size);

  // Exponentials and sums are float64 in both, so float32 results differ only where a double lands
  // within an ulp of a rounding boundary: none did over 8 million outputs tried.
  test.each([true, false])('forward (log %s) agrees with the plain kernel to an ulp, nearly always to the bit', (log) => {
    const expected = new Float32Array(x.length);
    const actual = new Float32Array(x.length).fill(7);
    cpuKernels.softmax(x, rows, size, 1, expected, log);
    inWasm('softmax', x, rows, size, 1, actual, log);
    expect(ulpsApart(actual, expected)).toBeLessThanOrEqual(Math.floor(x.length / 1000));
    expect(Array.from(actual.subarray(size, 2 * size)).every(Number.isNaN)).toBe(true);
  });

  test.each([true, false])('backward (log %s) agrees with the plain kernel to an ulp, nearly always to the bit', (log) => {
    const y = new Float32Array(x.length);
    cpuKernels.softmax(x, rows, size, 1, y, log);
    const gy = randn([x.length], { generator: new Generator(22) }).dataSync() as Float32Array;
    const expected = new Float32Array(x.length);
    const actual = new Float32Array(x.length).fill(7);
    cpuKernels.softmaxBackward(y, gy, rows, size, 1, expected, log);
    inWasm('softmaxBackward', y, gy, rows, size, 1, actual, log);
    expect(ulpsApart(actual, expected)).toBeLessThanOrEqual(Math.floor(x.length / 1000));
  });

  test('fused cross-entropy forward: the same probabilities, losses and divisor as the plain kernel', () => {
    const finite = x.slice(4 * size);
    const n = rows - 4;
    const target = Float64Array.from({ length: n }, (_, i) => (i * 3) % size);
    target[5] = -100;
    const weight = Float32Array.from({ length: size }, (_, c) => 0.5 + c / size);
    for (const [w, eps] of [[null, 0], [weight, 0.1]] as const) {
      const targets = { target, weight: w, ignoreIndex: -100 };
      const layout = { outer: n, classes: size, inner: 1 };
      const [lossCpu, probsCpu] = [new Float32Array(n), new Float32Array(n * size)];
      const [lossWasm, probsWasm] = [new Float32Array(n).fill(7), new Float32Array(n * size).fill(7)];
      const divisorCpu = cpuKernels.crossEntropyForward(finite, targets, layout, eps, lossCpu, probsCpu);
      const divisorWasm = inWasm('crossEntropyForward', finite, targets, layout, eps, lossWasm, probsWasm);
      expect(divisorWasm).toBe(divisorCpu);
      expect(ulpsApart(probsWasm, probsCpu)).toBeLessThanOrEqual(Math.floor(probsCpu.length / 1000));
      expect(ulpsApart(lossWasm, lossCpu)).toBe(0);
      expect(lossWasm[5]).toBe(0);
    }
  });
});

describe('loading', () => {
  test('ready() resolves at once in Node, where the module compiles synchronously', async () => {
    await expect(ready()).resolves.toBeUndefined();
    expect(availableBackends()).toContain('wasm');
  });

  test('a refused synchronous compilation gives null, not an exception (Chrome before 114 refuses modules over 4 KB)', () => {
    const original = WebAssembly.Module;
    const refusing = function refusing(): never {
      throw new RangeError('WebAssembly.Compile is disallowed on the main thread, if the buffer size is larger than 4KB');
    };
    Object.defineProperty(WebAssembly, 'Module', { value: refusing, configurable: true, writable: true });
    try {
      expect(createWasmBackend()).toBeNull();
    } finally {
      Object.defineProperty(WebAssembly, 'Module', { value: original, configurable: true, writable: true });
    }
  });

  test('the asynchronously compiled backend computes what the synchronous one does, bit for bit', async () => {
    const later = await loadWasmBackend();
    const g = new Generator(9);
    const [m, k, n] = [13, 37, 21];
    const a: MatrixOperand = { data: randn([m * k], { generator: g }).dataSync(), offset: 0, batchStrides: [], transposed: false };
    const b: MatrixOperand = { data: randn([k * n], { generator: g }).dataSync(), offset: 0, batchStrides: [], transposed: true };
    const now = new Float32Array(m * n);
    const async = new Float32Array(m * n).fill(NaN);
    inWasm('matmul', a, b, null, now, [], m, k, n);
    fast(later, 'matmul', a, b, null, async, [], m, k, n);
    expect(later).not.toBeNull();
    expect(same(async, now)).toBe(true);
  });
});

// Two threads need two cores (and Node's worker threads): elsewhere these tests say why they skip.
const threads = maxNumThreads() >= 2;
if (!threads) console.log('skipped: the two-thread GEMM tests need 2 or more cores and worker threads; this machine offers 1 thread');
(threads ? describe : describe.skip)('two threads', () => {
  /**
   * A GEMM with a worker of its own (one for every case, as a backend has one) and the kernels on
   * it, recording in `shared` whether each placement went to the worker; `withWorker` waits until
   * the worker takes work and clears the record.
   */
  const onThreads = (() => {
    let made: {
      gemm: Gemm; shared: boolean[]; matmul: FastKernel<'matmul'>; forward: FastKernel<'conv2dForward'>; backward: FastKernel<'conv2dBackward'>; withWorker: () => Promise<void>;
    } | null = null;
    return () => {
      if (made !== null) return made;
      const local = createArena(build);
      if (local === null) throw new Error('no wasm arena');
      const gemm = new Gemm(local, () => startThreads(build));
      const shared: boolean[] = [];
      const place = gemm.place.bind(gemm);
      gemm.place = (...args) => {
        const placed = place(...args);
        shared.push(placed.placement.worker !== null);
        return placed;
      };
      const conv = convKernels((work, sizes) => gemm.place(work, false, sizes));
      const withWorker = async () => {
        gemm.setThreads(2);
        // The worker starts on the first work it could take, and takes work once it runs.
        while (!gemm.place(2 ** 20, false, () => [16]).placement.worker) await new Promise((resolve) => setTimeout(resolve, 10));
        shared.length = 0;
      };
      const { matmul } = gemm.kernels();
      made = {
        gemm, shared, withWorker, matmul: matmul as FastKernel<'matmul'>,
        forward: conv.conv2dForward as FastKernel<'conv2dForward'>, backward: conv.conv2dBackward as FastKernel<'conv2dBackward'>,
      };
      return made;
    };
  })();

  // A packed, B packed with a partial last panel (a forward layer's x W^T); then both read in
  // place (a weight gradient's dy^T x).
  test.each([
    [64, 784, 130, false, true],
    [128, 64, 784, true, false],
  ] as const)('split large products with a worker, bit for bit as on one thread: m=%i k=%i n=%i, A transposed %s, B transposed %s', async (m, k, n, ta, tb) => {
    const { gemm, shared, matmul, withWorker } = onThreads();
    gemm.setThreads(1);
    const g = new Generator(5);
    const a: MatrixOperand = { data: randn([m * k], { generator: g }).dataSync(), offset: 0, batchStrides: [], transposed: ta };
    const b: MatrixOperand = { data: randn([n * k], { generator: g }).dataSync(), offset: 0, batchStrides: [], transposed: tb };
    const bias = randn([n], { generator: g }).dataSync();
    const one = new Float32Array(m * n);
    const two = new Float32Array(m * n);
    const plain = new Float32Array(m * n);
    matmul.run(a, b, bias, one, [], m, k, n);
    cpuKernels.matmul(a, b, bias, plain, [], m, k, n);
    expect(plain.findIndex((p, i) => !(Math.abs(one[i] - p) <= 1e-5 * Math.sqrt(k) * (1 + Math.abs(p))))).toBe(-1);
    await withWorker();
    for (let repeat = 0; repeat < 3; repeat++) {
      two.fill(NaN);
      matmul.run(a, b, bias, two, [], m, k, n);
      expect(same(two, one)).toBe(true);
    }
    expect(shared).toEqual([true, true, true]);
  });

  test('setThreads reaches the backend: 2 where a worker can run, back to 1', () => {
    const backend = createWasmBackend();
    expect(backend?.maxThreads?.()).toBe(2);
    backend?.setThreads?.(2);
    expect(backend?.getThreads?.()).toBe(2);
    backend?.setThreads?.(1);
    expect(backend?.getThreads?.()).toBe(1);
  });

  // Columns of a partial last panel (l = 26 * 26) and of whole panels (l = 24 * 24), with padding
  // and stride in the second, two groups in the third, one group per channel in the fourth and
  // two output channels in the fifth and sixth (the last three walk the windows: too few channels
  // for a packed panel); all large enough for the worker to share every pass (the weight
  // gradient's 5, 9, 18 and 4 column panels split unevenly, the sixth's cutting a channel's 3x3
  // kernel in two; the groups' panels go whole to the threads). The first, third and seventh
  // read their forward products' columns from padded planes, the seventh its input gradient's too.
  test.each([
    [{ batch: 3, channels: 4, height: 28, width: 28, kernelH: 3, kernelW: 3, padH: 0, padW: 0, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, outH: 26, outW: 26 }, 16, 1],
    [{ batch: 4, channels: 8, height: 47, width: 47, kernelH: 3, kernelW: 3, padH: 1, padW: 1, strideH: 2, strideW: 2, dilationH: 1, dilationW: 1, outH: 24, outW: 24 }, 12, 1],
    [{ batch: 3, channels: 8, height: 28, width: 28, kernelH: 3, kernelW: 3, padH: 0, padW: 0, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, outH: 26, outW: 26 }, 32, 2],
    [{ batch: 8, channels: 32, height: 30, width: 30, kernelH: 3, kernelW: 3, padH: 1, padW: 1, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, outH: 30, outW: 30 }, 32, 32],
    [{ batch: 16, channels: 16, height: 26, width: 26, kernelH: 3, kernelW: 3, padH: 0, padW: 0, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, outH: 24, outW: 24 }, 2, 1],
    [{ batch: 16, channels: 3, height: 40, width: 40, kernelH: 3, kernelW: 3, padH: 1, padW: 1, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, outH: 40, outW: 40 }, 2, 1],
    [{ batch: 4, channels: 16, height: 20, width: 20, kernelH: 3, kernelW: 3, padH: 1, padW: 1, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, outH: 20, outW: 20 }, 16, 2],
  ])('convolutions split each pass with the worker, bit for bit as on one thread (%#)', async (g, o, groups) => {
    const { gemm, shared, forward, backward, withWorker } = onThreads();
    gemm.setThreads(1);
    shared.length = 0;
    const gen = new Generator(7);
    const k = (g.channels / groups) * g.kernelH * g.kernelW;
    const x = randn([g.batch * g.channels * g.height * g.width], { generator: gen }).dataSync();
    const weight = randn([o * k], { generator: gen }).dataSync();
    const gOut = randn([g.batch * o * g.outH * g.outW], { generator: gen }).dataSync();
    const bias = randn([o], { generator: gen }).dataSync();
    const run = () => {
      const out = new Float32Array(gOut.length).fill(NaN);
      const gradWeight = new Float32Array(weight.length).fill(NaN);
      const gradInput = new Float32Array(x.length).fill(NaN);
      const gradBias = new Float32Array(o).fill(NaN);
      forward.run(x, weight, bias, g, o, groups, out);
      backward.run(x, weight, gOut, g, o, groups, gradInput, gradWeight, gradBias);
      return [out, gradWeight, gradInput, gradBias];
    };
    const one = run();
    const plain = [new Float32Array(gOut.length), new Float32Array(weight.length), new Float32Array(x.length), new Float32Array(o)];
    cpuKernels.conv2dForward(x, weight, bias, g, o, groups, plain[0]);
    cpuKernels.conv2dBackward(x, weight, gOut, g, o, groups, plain[2], plain[1], plain[3]);
    // The first entry off the plain kernel's by more than the tolerance, per pass: none.
    const off = plain.map((expected, pass) => expected.findIndex((e, i) => !(Math.abs(one[pass][i] - e) <= 1e-4 * (1 + Math.abs(e)))));
    expect(off).toEqual([-1, -1, -1, -1]);
    // Each gradient alone is the same bits as all three together.
    const alone = [new Float32Array(weight.length), new Float32Array(x.length), new Float32Array(o)];
    backward.run(x, weight, gOut, g, o, groups, null, alone[0], null);
    backward.run(x, weight, gOut, g, o, groups, alone[1], null, null);
    backward.run(x, weight, gOut, g, o, groups, null, null, alone[2]);
    alone.forEach((grad, i) => expect(same(grad, one[i + 1])).toBe(true));
    expect(shared.every((placed) => !placed)).toBe(true);
    await withWorker();
    for (let repeat = 0; repeat < 2; repeat++) run().forEach((two, i) => expect(same(two, one[i])).toBe(true));
    expect(shared).toEqual([true, true, true, true]);
  });

  test('by default two threads take convolution passes of 2^20 multiply-adds and products of 2^24; setNumThreads(2) splits products from 2^20, 1 none', async () => {
    const local = createArena(build);
    if (local === null) throw new Error('no wasm arena');
    const gemm = new Gemm(local, () => startThreads(build));
    expect(gemm.threads).toBe(2);
    const threaded = (work: number, product: boolean) => gemm.place(work, product, () => [16]).placement.worker !== null;
    // The worker starts on the first work it could take, and takes work once it runs.
    while (!threaded(2 ** 20, false)) await new Promise((resolve) => setTimeout(resolve, 10));
    expect([threaded(2 ** 20 - 1, false), threaded(2 ** 20, false)]).toEqual([false, true]);
    expect([threaded(784 * 128 * 64, true), threaded(2 ** 24 - 1, true), threaded(2 ** 24, true)]).toEqual([false, false, true]);
    gemm.setThreads(2);
    expect([threaded(2 ** 20 - 1, true), threaded(2 ** 20, true)]).toEqual([false, true]);
    // Buffers beyond the shared memory's maximum (1 GiB) go to the private arena, on one thread.
    expect(gemm.place(2 ** 20, true, (threads) => [threads === 2 ? 2 ** 31 : 16]).placement.worker).toBeNull();
    gemm.setThreads(1);
    expect([threaded(2 ** 30, true), threaded(2 ** 30, false)]).toEqual([false, false]);
  });

  test('a kernel that traps in the worker is an error, not a result with its share missing', async () => {
    const threaded = startThreads(build);
    if (threaded === null) throw new Error('no worker thread');
    while (!threaded.worker.ready) await new Promise((resolve) => setTimeout(resolve, 10));
    // A 4x4x4 product whose every pointer lies far past the end of memory.
    const far = 0x7fff0000;
    threaded.worker.begin('gemmShared', [far, 4, 1, far, 4, 1, 0, far, 4, 4, 4, far, 0, far, 1, far]);
    expect(() => threaded.worker.finish()).toThrow('wasm worker thread: gemmShared failed (the kernel trapped), so its result is incomplete; call setNumThreads(1) to work without it');
  });

  test('setNumThreads checks its argument and caps at what the platform has', () => {
    expect(() => setNumThreads(0)).toThrow('setNumThreads: expected a positive integer, got 0');
    setNumThreads(8);
    expect(getNumThreads()).toBe(2);
    setNumThreads(1);
    expect(getNumThreads()).toBe(1);
  });
});

describe('wasm Bernoulli draws', () => {
  /** A copy of a stream's state, to draw the same words twice. */
  const copyOf = (s: Mt19937State): Mt19937State => ({ words: s.words.slice(), left: s.left, next: s.next });

  // Runs of every length around the vector step (4 elements of 8 words) and the twist (624
  // words, 312 elements), one after another, so that they start at every offset before a twist;
  // from a fresh seed, and after one 32-bit draw, which leaves an even count of words before the
  // twist between elements (eight words before it then take the twist inside a vector step).
  test.each([0, 1])("draw the plain kernel's values and leave the stream where it does (%i draws first)", (before) => {
    const plain = copyOf(new Generator(5).stream);
    for (let i = 0; i < before; i++) nextWord(plain);
    const fastStream = copyOf(plain);
    for (let round = 0; round < 3; round++) {
      for (const [n, p] of [[1, 0.5], [3, 0.3], [4, 0.7], [5, 0], [311, 1], [312, 0.5], [313, 0.25], [1000, 0.9], [4097, 0.5], [7, 0.5]] as const) {
        const expected = new Float32Array(n).fill(NaN);
        const actual = new Float32Array(n).fill(NaN);
        cpuKernels.bernoulli(plain, p, expected);
        inWasm('bernoulli', fastStream, p, actual);
        expect(same(actual, expected)).toBe(true);
        expect([fastStream.left, fastStream.next, same(new Float32Array(fastStream.words.buffer), new Float32Array(plain.words.buffer))]).toEqual([plain.left, plain.next, true]);
      }
    }
  });

  // A threshold whose high 21 bits equal a draw's: the low words decide, in the vector lanes (the
  // stream twisted already) and in the scalar tail alike.
  test.each([4, 1])('compare the low word where the high words tie with the threshold (%i elements)', (n) => {
    const stream = new Generator(9).stream;
    nextWord(stream);
    nextWord(stream);
    const probe = copyOf(stream);
    const high = nextWord(probe) & 0x1fffff;
    const low = nextWord(probe);
    for (const offset of [-1, 0, 1]) {
      const p = (high * 2 ** 32 + low + offset) / 2 ** 53;
      const expected = new Float32Array(n);
      const actual = new Float32Array(n);
      cpuKernels.bernoulli(copyOf(stream), p, expected);
      inWasm('bernoulli', copyOf(stream), p, actual);
      expect(actual[0]).toBe(offset > 0 ? 1 : 0);
      expect(same(actual, expected)).toBe(true);
    }
  });
});
