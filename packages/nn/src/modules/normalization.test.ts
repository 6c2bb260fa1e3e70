import { describeEachBackend } from '@wick/test-harness';
import { noGrad, randn, tensor, type Tensor } from '@wick/core';
import * as testing from '@wick/core/testing';
import golden from '../../golden/batchnorm.json';
import { BatchNorm1d, BatchNorm2d, Dropout2d, Embedding, F, GroupNorm, LayerNorm, Unflatten, type Module } from '../index';

type Encoded = testing.EncodedTensor;
interface Step {
  input: Encoded;
  output: Encoded;
  upstream: Encoded;
  grad: Encoded;
  state: Record<string, Encoded>;
}

/** Mirrors the modules of scripts/golden/normalization.py. */
const MAKE: Record<string, () => Module<[Tensor], Tensor>> = {
  'BatchNorm1d (N, C)': () => new BatchNorm1d(4),
  'BatchNorm1d (N, C, L), momentum None (cumulative)': () => new BatchNorm1d(3, { momentum: null }),
  BatchNorm2d: () => new BatchNorm2d(3, { eps: 1e-3, momentum: 0.3 }),
  'BatchNorm2d without affine': () => new BatchNorm2d(2, { affine: false }),
  'BatchNorm2d without running stats': () => new BatchNorm2d(2, { trackRunningStats: false }),
};

const decode = (e: Encoded) => testing.decodeTensor(e);

describeEachBackend('normalization modules', () => {
  test.each(golden.modules.map((m) => [m.name, m] as const))('%s: three training steps and eval match PyTorch, buffers included', (_name, m) => {
    const bn = MAKE[m.name]();
    bn.loadStateDict(Object.fromEntries(Object.entries(m.init as Record<string, Encoded>).map(([k, v]) => [k, decode(v)])));
    expect(Object.keys(bn.stateDict())).toEqual(Object.keys(m.init));
    for (const step of m.steps as Step[]) {
      const x = decode(step.input).requiresGrad_();
      const y = bn.forward(x);
      testing.assertClose(y, decode(step.output));
      y.backward(decode(step.upstream));
      testing.assertClose(x.grad as Tensor, decode(step.grad), { rtol: 1e-4, atol: 1e-5 });
      const state = bn.stateDict();
      for (const [k, v] of Object.entries(step.state)) testing.assertClose(state[k].double(), testing.decodeTensor(v, 'float64'));
    }
    bn.eval();
    testing.assertClose(noGrad(() => bn.forward(decode(m.evalInput as Encoded))), decode(m.evalOutput as Encoded));
  });

  test('LayerNorm and GroupNorm are their functional forms over their parameters', () => {
    const x = randn([2, 6, 3, 4]);
    const ln = new LayerNorm([3, 4], { eps: 1e-3 });
    expect(Object.keys(ln.stateDict())).toEqual(['weight', 'bias']);
    testing.assertClose(ln.forward(x), F.layerNorm(x, [3, 4], { weight: ln.weight, bias: ln.bias, eps: 1e-3 }));
    expect(new LayerNorm(5, { bias: false }).bias).toBeNull();
    const gn = new GroupNorm(3, 6);
    testing.assertClose(gn.forward(x), F.groupNorm(x, 3, { weight: gn.weight, bias: gn.bias }));
    expect(String(gn)).toBe('GroupNorm(3, 6, eps=0.00001, affine=true)');
  });

  test('Embedding looks rows up; paddingIdx rows start at zero and receive no gradient; fromPretrained freezes', () => {
    const e = new Embedding(6, 3, { paddingIdx: -1 });
    expect(e.paddingIdx).toBe(5);
    expect(e.weight.select(0, 5).toArray()).toEqual([0, 0, 0]);
    const idx = tensor([[5, 1], [1, 2]], { dtype: 'int64' });
    e.forward(idx).sum().backward();
    expect((e.weight.grad as Tensor).toArray()).toEqual([[0, 0, 0], [2, 2, 2], [1, 1, 1], [0, 0, 0], [0, 0, 0], [0, 0, 0]]);
    const frozen = Embedding.fromPretrained(tensor([[1, 2], [3, 4]]));
    expect(frozen.weight.requiresGrad).toBe(false);
    expect(frozen.forward(tensor([1], { dtype: 'int64' })).toArray()).toEqual([[3, 4]]);
    expect(() => new Embedding(4, 2, { paddingIdx: 4 })).toThrow('Embedding: paddingIdx must be within [-4, 3], got 4');
  });

  test('Dropout2d drops whole channels in training only; Unflatten splits a dim', () => {
    const x = randn([4, 8, 3, 3]).abs().add(1);
    const d = new Dropout2d(0.5);
    const y = d.forward(x);
    const kept = y.ne(0).float().sum([2, 3]);
    expect(Array.from(kept.dataSync()).every((c) => c === 0 || c === 9)).toBe(true);
    d.eval();
    expect(d.forward(x)).toBe(x);
    expect(new Unflatten(1, [2, -1]).forward(randn([3, 12])).shape).toEqual([3, 2, 6]);
  });

  test('bad input is refused with the module and the shapes', () => {
    expect(() => new BatchNorm2d(3).forward(randn([2, 4, 2, 2]))).toThrow('BatchNorm2d: expected 3 channels (dim 1), got input of shape [2, 4, 2, 2]');
    expect(() => new BatchNorm2d(3).forward(randn([2, 3]))).toThrow('BatchNorm2d: expected a 4-D input, got shape [2, 3]');
    expect(() => new BatchNorm1d(3).forward(randn([1, 3]))).toThrow('expected more than 1 value per channel when training');
    expect(() => new GroupNorm(4, 6)).toThrow('GroupNorm: numChannels (6) must be divisible by numGroups (4)');
  });
});
