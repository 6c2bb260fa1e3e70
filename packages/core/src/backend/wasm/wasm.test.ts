import {
  Generator, availableBackends, cpuBackend, createWasmBackend, getNumThreads, randn, setNumThreads, type MatrixOperand,
} from '../../index';

const wasm = createWasmBackend();

describe('the wasm GEMM', () => {
  test('is available here (Node 20 has WebAssembly SIMD)', () => {
    expect(availableBackends()).toEqual(['cpu', 'wasm']);
    expect(wasm?.matmul).toBeDefined();
  });

  const g = new Generator(11);
  // Sizes off the 4x8 tile grid, every layout, a broadcast batch, and the training step's shapes.
  test.each([
    [1, 1, 1, false, false, []],
    [5, 3, 7, false, false, []],
    [13, 17, 9, true, false, []],
    [6, 10, 11, false, true, []],
    [7, 5, 3, true, true, []],
    [4, 6, 8, false, false, [3]],
    [64, 784, 128, false, true, []],
    [128, 64, 784, true, false, []],
    [64, 128, 784, false, false, []],
  ] as const)('m=%i k=%i n=%i, A transposed %s, B transposed %s, batch %j', (m, k, n, ta, tb, batch) => {
    const batches = batch.reduce((x, y) => x * y, 1);
    const a = randn([batches * m * k], { generator: g }).dataSync();
    const b = randn([k * n], { generator: g }).dataSync();
    const opA: MatrixOperand = { data: a, offset: 0, batchStrides: batch.length ? [m * k] : [], transposed: ta };
    const opB: MatrixOperand = { data: b, offset: 0, batchStrides: batch.map(() => 0), transposed: tb };
    const expected = new Float32Array(batches * m * n);
    const actual = new Float32Array(batches * m * n).fill(NaN);
    cpuBackend.matmul(opA, opB, expected, batch, m, k, n);
    wasm?.matmul?.(opA, opB, actual, batch, m, k, n);
    for (let i = 0; i < expected.length; i++) {
      expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(1e-5 * Math.sqrt(k) * (1 + Math.abs(expected[i])));
    }
  });
});

describe('two threads', () => {
  test('split large products with a worker, bit for bit as on one thread', () => {
    const backend = createWasmBackend();
    expect(backend?.maxThreads()).toBe(2);
    const g = new Generator(5);
    const m = 64;
    const k = 784;
    const n = 130; // not a whole number of panels
    const a: MatrixOperand = { data: randn([m * k], { generator: g }).dataSync(), offset: 0, batchStrides: [], transposed: false };
    const b: MatrixOperand = { data: randn([n * k], { generator: g }).dataSync(), offset: 0, batchStrides: [], transposed: true };
    const one = new Float32Array(m * n);
    const two = new Float32Array(m * n);
    backend?.matmul?.(a, b, one, [], m, k, n);
    backend?.setThreads(2);
    expect(backend?.getThreads()).toBe(2);
    for (let repeat = 0; repeat < 3; repeat++) {
      two.fill(NaN);
      backend?.matmul?.(a, b, two, [], m, k, n);
      expect(Buffer.from(two.buffer).equals(Buffer.from(one.buffer))).toBe(true);
    }
    backend?.setThreads(1);
  });

  test('setNumThreads checks its argument and caps at what the platform has', () => {
    expect(() => setNumThreads(0)).toThrow('setNumThreads: expected a positive integer, got 0');
    setNumThreads(8);
    expect(getNumThreads()).toBe(2);
    setNumThreads(1);
    expect(getNumThreads()).toBe(1);
  });
});
