import golden from '../../golden/random.json';
import {
  Generator, bernoulli, getRngState, manualSeed, rand, randint, randn, randperm, setRngState, tensor, zeros, type DType, type Tensor,
} from '../index';

// Streams of torch's CPU generator written by scripts/golden/random_streams.py: integers and
// uniforms must match bit for bit; normals within 1e-5 (float32) or 1e-12 (float64) of the
// distribution's scale, |a - b| <= tol * max(std, |x - mean|), since torch's float32 normals come
// from a vectorised Box-Muller and JavaScript's Math.log/sin/cos may differ from glibc's by an ulp.

interface Sampled {
  n: number;
  values: number[];
  at?: number[];
  sum?: number;
}
type Stream = Sampled & { fn: string; seed: number; dtype: string; size: number };

const probs = (dtype: DType) => tensor(golden.probs, { dtype });

const DRAWS: Record<string, (s: Stream) => Tensor> = {
  rand: (s) => rand([s.size], { dtype: s.dtype as DType }),
  randn: (s) => randn([s.size], { dtype: s.dtype as DType }),
  uniform_: (s) => zeros([33], { dtype: s.dtype as DType }).uniform_(-2, 5),
  normal_: (s) => zeros([17], { dtype: s.dtype as DType }).normal_(2, 3),
  'normal_ small': (s) => zeros([5], { dtype: s.dtype as DType }).normal_(2, 3),
  bernoulli_: (s) => zeros([100], { dtype: s.dtype as DType }).bernoulli_(0.3),
  'bernoulli_ large': (s) => zeros([100003], { dtype: s.dtype as DType }).bernoulli_(0.5),
  bernoulli: (s) => bernoulli(probs(s.dtype as DType)),
  randperm: (s) => randperm(s.size),
  'randint 0 10': (s) => randint(0, 10, [s.size]),
  [`randint -5 ${2 ** 40}`]: (s) => randint(-5, 2 ** 40, [s.size]),
};

/** Mean and standard deviation of the streams that are normal, for the tolerance. */
const NORMAL: Record<string, [number, number]> = { randn: [0, 1], normal_: [2, 3], 'normal_ small': [2, 3] };

/** Checks `actual` against a sampled golden stream: exactly, or within the normal tolerance. */
export function expectStream(actual: Tensor, expected: Sampled, normal: [number, number] | null, dtype: string): void {
  const all = Array.from(actual.double().dataSync());
  expect(all).toHaveLength(expected.n);
  const picked = expected.at === undefined ? all : expected.at.map((i) => all[i]);
  if (normal === null) {
    expect(picked).toEqual(expected.values);
    if (expected.sum !== undefined) expect(all.reduce((a, b) => a + b, 0)).toBeCloseTo(expected.sum, 6);
    return;
  }
  const [mean, std] = normal;
  const tol = dtype === 'float64' ? 1e-12 : 1e-5;
  picked.forEach((v, i) => {
    const want = expected.values[i];
    expect(Math.abs(v - want)).toBeLessThanOrEqual(tol * Math.max(std, Math.abs(want - mean)));
  });
  if (expected.sum !== undefined) expect(Math.abs(all.reduce((a, b) => a + b, 0) - expected.sum)).toBeLessThan(tol * 10 * expected.n);
}

describe("Wick's generator gives torch's streams", () => {
  const streams = golden.streams as Stream[];
  test.each(streams.map((s) => [`${s.fn} ${s.dtype} size ${s.size || ''} seed ${s.seed}`, s] as const))('%s', (_name, s) => {
    manualSeed(s.seed);
    expectStream(DRAWS[s.fn](s), s, NORMAL[s.fn] ?? null, s.dtype);
  });

  test.each(golden.sequences.map((s) => [s.seed, s] as const))('draws one after another share the generator and its cached normal (seed %s)', (_seed, s) => {
    manualSeed(s.seed);
    const parts = [
      randn([3], { dtype: 'float64' }), randn([5]), rand([2]), randn([20]), randn([1]), randperm(7), randn([2], { dtype: 'float64' }),
    ];
    parts.forEach((p, i) => {
      const normal = i === 2 || i === 5 ? null : ([0, 1] as [number, number]);
      expectStream(p, { n: s.values[i].length, values: s.values[i] }, normal, p.dtype);
    });
  });

  test('seeds use their low 32 bits, as torch does', () => {
    manualSeed(2 ** 40 + 3);
    const high = rand([5]).toArray();
    manualSeed(3);
    expect(rand([5]).toArray()).toEqual(high);
    expect(new Generator(-1).initialSeed()).toBe(2 ** 64 - 1);
    expect(() => manualSeed(1.5)).toThrow('manualSeed: seed must be an integer, got 1.5');
    expect(() => manualSeed(2 ** 64)).toThrow('seed must be within the range');
  });
});

describe('generator state', () => {
  test.each(golden.states.map((s) => [s.seed, s] as const))("getState() is torch.get_rng_state()'s bytes, and setState() takes them (seed %s)", (_seed, s) => {
    manualSeed(s.seed);
    randn([3], { dtype: 'float64' });
    expect(Buffer.from(getRngState()).toString('hex')).toBe(s.state);
    manualSeed(12345);
    setRngState(Uint8Array.from(Buffer.from(s.state, 'hex')));
    const after = [...rand([4]).double().dataSync(), ...randn([1], { dtype: 'float64' }).dataSync()];
    after.forEach((v, i) => expect(Math.abs(v - s.after[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v))));
    expect(after.slice(0, 4)).toEqual(s.after.slice(0, 4));
  });

  test('a Generator of its own is independent of the default one and restores its state', () => {
    const g = new Generator(7);
    const state = g.getState();
    const first = rand([4], { generator: g }).toArray();
    manualSeed(0);
    rand([10]);
    g.setState(state);
    expect(rand([4], { generator: g }).toArray()).toEqual(first);
    expect(new Generator().initialSeed()).toBe(67280421310721);
    const seeded = new Generator(1);
    const s = seeded.seed();
    expect(seeded.initialSeed()).toBe(s);
  });

  test('a malformed state is refused before anything changes', () => {
    const g = new Generator(3);
    const before = g.getState();
    expect(() => g.setState(new Uint8Array(10))).toThrow('setState: expected the 5056 bytes of a CPU generator state, got 10');
    const bad = g.getState();
    new DataView(bad.buffer).setInt32(8, 9999, true);
    expect(() => g.setState(bad)).toThrow('setState: not a valid generator state (left 9999');
    expect(g.getState()).toEqual(before);
  });

  test('in-place random fills check their arguments', () => {
    expect(() => zeros([3]).uniform_(2, 1)).toThrow('uniform_: expects a finite [from, to) range with from <= to, got from=2, to=1');
    expect(() => zeros([3]).normal_(0, -1)).toThrow('normal_: expects a finite mean and std >= 0, got mean=0, std=-1');
    expect(() => zeros([3]).bernoulli_(1.5)).toThrow('bernoulli_: expects 0 <= p <= 1, got 1.5');
    expect(() => zeros([3], { dtype: 'int64' }).uniform_()).toThrow('uniform_: expected a floating-point tensor, got int64');
    expect(() => bernoulli(tensor([0.5, 2]))).toThrow('bernoulli: probabilities must be in [0, 1], got 2');
  });
});
