import { Generator, availableBackends, cpuBackend, createWasmBackend, randn, type MatrixOperand } from '../../index';

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
