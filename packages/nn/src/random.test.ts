import { Generator, arange, manualSeed, ones, rand, zeros, type DType, type Tensor } from '@wick/core';
import golden from '../golden/random.json';
import { Conv1d, Conv2d, ConvTranspose2d, Embedding, F, Linear, data, init, type Module } from './index';

// torch's random draws in nn, written by scripts/golden/random_streams.py: layer initialisation,
// nn.init, dropout masks, DataLoader orders and random_split, for the same seeds.

interface Sampled {
  n: number;
  values: number[];
  at?: number[];
}

/** Exact for uniforms and masks; normals within 1e-5 (float32) or 1e-12 (float64) of max(std, |x - mean|). */
function expectSampled(actual: Tensor, expected: Sampled, normal: [number, number] | null): void {
  const all = Array.from(actual.double().dataSync());
  expect(all).toHaveLength(expected.n);
  const picked = expected.at === undefined ? all : expected.at.map((i) => all[i]);
  if (normal === null) {
    expect(picked).toEqual(expected.values);
    return;
  }
  const tol = actual.dtype === 'float64' ? 1e-12 : 1e-5;
  picked.forEach((v, i) => expect(Math.abs(v - expected.values[i])).toBeLessThanOrEqual(tol * Math.max(normal[1], Math.abs(expected.values[i] - normal[0]))));
}

describe("layers initialise as torch's do, from the same seed", () => {
  const seeds = [...new Set(golden.layers.map((l) => `${l.seed} ${l.dtype}`))];
  test.each(seeds)('Linear(784, 128), Linear(128, 10), Linear(5, 3, bias=False): seed and dtype %s', (key) => {
    const [seed, dtype] = key.split(' ');
    manualSeed(Number(seed));
    const layers = [
      new Linear(784, 128, { dtype: dtype as DType }), new Linear(128, 10, { dtype: dtype as DType }), new Linear(5, 3, { bias: false, dtype: dtype as DType }),
    ];
    for (const l of golden.layers.filter((g) => `${g.seed} ${g.dtype}` === key)) {
      expectSampled(l.param === 'weight' ? layers[l.layer].weight : (layers[l.layer].bias as Tensor), l, null);
    }
  });
});

describe("convolutions initialise as torch's do, from the same seed", () => {
  const keys = [...new Set(golden.convLayers.map((l) => `${l.seed} ${l.dtype}`))];
  test.each(keys)('Conv2d(1, 32, 3), Conv2d(32, 64, 3), Conv1d(4, 6, 3, groups=2), ConvTranspose2d(4, 3, (2, 3)): seed and dtype %s', (key) => {
    const [seed, dtype] = key.split(' ') as [string, DType];
    manualSeed(Number(seed));
    const layers: (Module & { weight: Tensor; bias: Tensor | null })[] = [
      new Conv2d(1, 32, 3, { dtype }), new Conv2d(32, 64, 3, { dtype }), new Conv1d(4, 6, 3, { groups: 2, dtype }), new ConvTranspose2d(4, 3, [2, 3], { dtype }),
    ];
    for (const l of golden.convLayers.filter((g) => `${g.seed} ${g.dtype}` === key)) {
      expectSampled(l.param === 'weight' ? layers[l.layer].weight : (layers[l.layer].bias as Tensor), l, null);
    }
  });
});

describe('nn.init draws as torch.nn.init does', () => {
  const INIT: Record<string, (t: Tensor) => Tensor> = {
    uniform_: (t) => init.uniform_(t, -0.5, 1.5),
    normal_: (t) => init.normal_(t, 0.5, 2),
    kaiming_uniform_: (t) => init.kaimingUniform_(t, { a: 0.1, mode: 'fanOut', nonlinearity: 'leaky_relu' }),
    kaiming_normal_: (t) => init.kaimingNormal_(t, { nonlinearity: 'relu' }),
    xavier_uniform_: (t) => init.xavierUniform_(t, 2),
    xavier_normal_: (t) => init.xavierNormal_(t),
  };
  const NORMAL: Record<string, [number, number]> = {
    normal_: [0.5, 2], kaiming_normal_: [0, Math.SQRT2 / Math.sqrt(20)], xavier_normal_: [0, Math.sqrt(2 / 50)],
  };
  test.each(golden.init.map((c) => [`${c.fn} ${c.dtype} seed ${c.seed}`, c] as const))('%s', (_name, c) => {
    manualSeed(c.seed);
    expectSampled(INIT[c.fn](zeros([30, 20], { dtype: c.dtype as DType })), c, NORMAL[c.fn] ?? null);
  });
});

describe("dropout drops torch's elements", () => {
  test.each(golden.dropout.map((c) => [`p ${c.p} shape [${c.shape}] ${c.dtype} seed ${c.seed}`, c] as const))('%s', (_name, c) => {
    manualSeed(c.seed);
    expectSampled(F.dropout(ones(c.shape, { dtype: c.dtype as DType }), c.p, true), c, null);
  });
});

describe("dropout2d drops torch's channels; Embedding draws torch's rows", () => {
  test.each(golden.dropout2d.map((c) => [`p ${c.p} shape [${c.shape}] ${c.dtype} seed ${c.seed}`, c] as const))('dropout2d %s', (_name, c) => {
    manualSeed(c.seed);
    expectSampled(F.dropout2d(ones(c.shape, { dtype: c.dtype as DType }), c.p, true), c, null);
  });
  test.each(golden.embedding.map((c) => [`${c.dtype} seed ${c.seed}`, c] as const))('Embedding(20, 3, paddingIdx 2) %s', (_name, c) => {
    manualSeed(c.seed);
    expectSampled(new Embedding(20, 3, { paddingIdx: 2, dtype: c.dtype as DType }).weight, c, [0, 1]);
  });
});

describe("DataLoader and randomSplit take torch's orders", () => {
  const dataset = new data.TensorDataset(arange(10));
  test.each(golden.loaders.map((c) => [`${c.kind} seed ${c.seed}`, c] as const))('DataLoader, %s, two epochs', (_name, c) => {
    manualSeed(c.seed);
    const generator = c.kind === 'generator' ? new Generator(c.seed + 1) : undefined;
    const loader = new data.DataLoader(dataset, { batchSize: 3, shuffle: c.kind !== 'unshuffled', generator });
    const epochs = [0, 1].map(() => [...loader].map(([x]) => Array.from(x.dataSync())));
    expect(epochs).toEqual(c.epochs);
    // The default generator is where torch's is afterwards: the epochs took the same draws from it.
    expect(Array.from(rand([3]).double().dataSync())).toEqual(c.next);
  });

  test.each(golden.splits.map((c) => [`[${c.lengths}] ${c.generator ? 'with a generator' : ''} seed ${c.seed}`, c] as const))('randomSplit %s', (_name, c) => {
    manualSeed(c.seed);
    const parts = data.randomSplit(dataset, c.lengths, { generator: c.generator ? new Generator(c.seed + 2) : undefined });
    expect(parts.map((p) => p.indices)).toEqual(c.indices);
    expect(parts[0].get(0)[0].item()).toBe(c.indices[0][0] ?? NaN);
  });

  test('randomSplit refuses lengths that do not cover the dataset', () => {
    expect(() => data.randomSplit(dataset, [3, 3])).toThrow('randomSplit: sum of input lengths (6) does not equal the length of the input dataset (10)');
    expect(() => data.randomSplit(dataset, [-1, 11])).toThrow('lengths must be non-negative integers or fractions summing to 1');
  });
});
