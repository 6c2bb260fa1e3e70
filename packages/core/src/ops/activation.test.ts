import { describeEachBackend, testOp, type GoldenCase } from '@wick/test-harness';
import golden from '../../golden/activations.json';
import { createWasmBackend, elu, Generator, hardtanh, leakyRelu, logSigmoid, oneHot, randn, softplus, tensor } from '../index';
import * as testing from '../testing';
import type { Tensor } from '../tensor/tensor';

type ActivationCase = GoldenCase & { fn: string };

/** Mirrors FNS in scripts/golden/activations.py. */
const FNS: Record<string, (x: Tensor, c: ActivationCase) => Tensor> = {
  erf: (x) => x.erf(),
  gelu: (x, c) => x.gelu({ approximate: c.kw.approximate as 'none' | 'tanh' }),
  silu: (x) => x.silu(),
  leakyRelu: (x, c) => leakyRelu(x, c.kw.negative_slope as number | undefined),
  elu: (x, c) => elu(x, c.kw.alpha as number | undefined),
  softplus: (x, c) => softplus(x, { beta: c.kw.beta as number | undefined, threshold: c.kw.threshold as number | undefined }),
  hardtanh: (x, c) => hardtanh(x, c.kw.min_val as number | undefined, c.kw.max_val as number | undefined),
  logSigmoid: (x) => logSigmoid(x),
};

/** Activations with kinks, whose cases at the kinks (0, the bounds) have no finite differences to check. */
const KINKED = new Set(['leakyRelu', 'elu', 'hardtanh']);

/** The activations composed from other ops: the references the fused kernels are checked against. */
const COMPOSED: Record<string, (x: Tensor) => Tensor> = {
  gelu: (x) => x.mul(0.5).mul(x.mul(Math.SQRT1_2).erf().add(1)),
  geluTanh: (x) => x.mul(0.5).mul(x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI)).tanh().add(1)),
  silu: (x) => x.mul(x.sigmoid()),
};
const FUSED: Record<string, (x: Tensor) => Tensor> = {
  gelu: (x) => x.gelu(),
  geluTanh: (x) => x.gelu({ approximate: 'tanh' }),
  silu: (x) => x.silu(),
};

describeEachBackend('activations', () => {
  testOp('activations', {
    cases: golden.cases as ActivationCase[],
    run: ([x], c) => FNS[c.fn](x, c),
    gradcheck: (c) => (KINKED.has(c.fn) && !c.name.endsWith('(2, 3, 4)') ? false : {}),
  });
});

describeEachBackend('fused activations', () => {
  const x = randn([1003], { generator: new Generator(4) }).mul(3);
  test.each(Object.keys(FUSED))('%s equals its composed form', (name) => {
    testing.assertClose(FUSED[name](x), COMPOSED[name](x), { rtol: 1e-5, atol: 1e-6 });
    testing.assertClose(FUSED[name](x.double()), COMPOSED[name](x.double()), { rtol: 1e-12, atol: 1e-14 });
  });
});

describe('the wasm backend', () => {
  const wasm = createWasmBackend();
  test.each(['gelu', 'geluTanh', 'silu'] as const)('has a kernel for %s on float32', (op) => {
    const x = new Float32Array(5);
    expect(wasm?.kernels.unary?.supports(op, x, new Float32Array(5))).toBe(true);
    expect(wasm?.kernels.unary?.supports(op, new Float64Array(5), new Float64Array(5))).toBe(false);
  });
});

test('gelu refuses an unknown approximate', () => {
  expect(() => randn([2]).gelu({ approximate: 'fast' as 'tanh' })).toThrow("gelu: approximate must be 'none' or 'tanh', got 'fast'");
});

test('oneHot gives int64 rows and checks the class values', () => {
  const labels = tensor([[0, 2], [1, 0]], { dtype: 'int64' });
  expect(oneHot(labels).toArray()).toEqual([[[1, 0, 0], [0, 0, 1]], [[0, 1, 0], [1, 0, 0]]]);
  expect(oneHot(labels, 4).shape).toEqual([2, 2, 4]);
  expect(oneHot(labels).dtype).toBe('int64');
  expect(() => oneHot(labels, 2)).toThrow('oneHot: class values must be smaller than numClasses (2), got 2');
  expect(() => oneHot(tensor([-1], { dtype: 'int64' }))).toThrow('oneHot: class values must be non-negative, got -1');
  expect(() => oneHot(tensor([1.5]))).toThrow('oneHot: expected an int64 tensor of class indices, got float32');
});
