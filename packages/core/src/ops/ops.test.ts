import { describeEachBackend, testOp, type GoldenCase } from '@wick/test-harness';
import golden from '../../golden/ops.json';
import * as wick from '../index';
import type { Tensor } from '../tensor/tensor';
import { assertClose } from '../testing';

type Kw = Record<string, unknown>;
const num = (kw: Kw, k: string) => kw[k] as number;
const dims = (kw: Kw) => kw.dim as number | number[] | undefined;

/** Each golden op written with Wick, mirroring OPS in scripts/golden/core_ops.py. */
const OPS: Record<string, (x: Tensor[], kw: Kw) => Tensor> = {
  add: ([a, b]) => a.add(b),
  sub: ([a, b]) => a.sub(b),
  mul: ([a, b]) => a.mul(b),
  div: ([a, b]) => a.div(b),
  pow: ([a, b]) => a.pow(b),
  powScalar: ([a], kw) => a.pow(num(kw, 'p')),
  maximum: ([a, b]) => wick.maximum(a, b),
  minimum: ([a, b]) => a.minimum(b),
  neg: ([a]) => a.neg(),
  exp: ([a]) => a.exp(),
  log: ([a]) => a.log(),
  sqrt: ([a]) => a.sqrt(),
  abs: ([a]) => a.abs(),
  relu: ([a]) => a.relu(),
  sigmoid: ([a]) => a.sigmoid(),
  tanh: ([a]) => a.tanh(),
  clamp: ([a], kw) => a.clamp(kw.min as number | undefined, kw.max as number | undefined),
  whereGt0: ([c, a, b]) => wick.where(c.gt(0), a, b),
  sum: ([a], kw) => a.sum(dims(kw), kw.keepdim === true),
  mean: ([a], kw) => a.mean(dims(kw), kw.keepdim === true),
  amax: ([a], kw) => a.amax(dims(kw), kw.keepdim === true),
  amin: ([a], kw) => a.amin(dims(kw), kw.keepdim === true),
  maxDim: ([a], kw) => a.max(num(kw, 'dim'), kw.keepdim === true).values,
  minDim: ([a], kw) => a.min(num(kw, 'dim'), kw.keepdim === true)[0],
  logsumexp: ([a], kw) => a.logsumexp(dims(kw) as number, kw.keepdim === true),
  var: ([a], kw) => a.var(dims(kw), { correction: kw.correction as number | undefined, keepdim: kw.keepdim === true }),
  std: ([a], kw) => a.std(dims(kw), { correction: kw.correction as number | undefined, keepdim: kw.keepdim === true }),
  matmul: ([a, b]) => a.matmul(b),
  matmulTransposedA: ([a, b]) => a.transpose(-1, -2).matmul(b),
  linear: ([x, w, b]) => wick.linear(x, w, b),
  softmax: ([a], kw) => a.softmax(num(kw, 'dim')),
  logSoftmax: ([a], kw) => a.logSoftmax(num(kw, 'dim')),
  reshape: ([a], kw) => a.reshape(kw.shape as number[]),
  transposeReshape: ([a], kw) => a.transpose(num(kw, 'd0'), num(kw, 'd1')).reshape(kw.shape as number[]),
  permute: ([a], kw) => a.permute(kw.dims as number[]).mul(1),
  expand: ([a], kw) => a.expand(kw.shape as number[]).mul(1),
  cat: ([a, b], kw) => wick.cat([a, b], num(kw, 'dim')),
  stack: ([a, b], kw) => wick.stack([a, b], num(kw, 'dim')),
  narrow: ([a], kw) => a.narrow(num(kw, 'dim'), num(kw, 'start'), num(kw, 'length')),
  sliceStep: ([a], kw) => a.slice(1, num(kw, 'start'), num(kw, 'end'), num(kw, 'step')),
  select: ([a], kw) => a.select(num(kw, 'dim'), num(kw, 'index')),
  squeezeUnsqueeze: ([a], kw) => a.unsqueeze(num(kw, 'dim')).squeeze(),
  gather: ([a, idx], kw) => a.gather(num(kw, 'dim'), idx),
  indexSelect: ([a, idx], kw) => a.indexSelect(num(kw, 'dim'), idx),
};

// Every op runs on each backend this platform has, against the same PyTorch values.
describeEachBackend('core ops', () => {
  testOp('each op', {
    cases: golden.cases as (GoldenCase & { op: string })[],
    run: (inputs, c) => OPS[c.op](inputs, c.kw),
  });
});

describeEachBackend('reductions over several dims, without moving the data', () => {
  // The reference: the reduced dims permuted to the end and merged, then one reduction.
  const merged = (x: Tensor, keep: number[], over: number[]) => x.permute([...keep, ...over]).reshape([...keep.map((d) => x.shape[d]), -1]);
  const finite = wick.randn([4, 3, 5, 6], { generator: new wick.Generator(7) });
  const special = finite.clone();
  special.select(0, 1).select(0, 2).select(0, 3).fill_(NaN);
  special.select(0, 2).select(0, 0).fill_(-Infinity);
  const bits = (t: Tensor) => Array.from(t.dataSync(), (v) => (Number.isNaN(v) ? 'NaN' : v));

  test.each([
    [[0, 2, 3], [1]],
    [[0, 2], [1, 3]],
    [[1, 3], [0, 2]],
    [[0, 1, 3], [2]],
  ])('over %j: sums and means as the permuted reduction; max and min exactly, NaN and -infinity included', (over, keep) => {
    const last = keep.length;
    assertClose(finite.sum(over), merged(finite, keep, over).sum(last));
    assertClose(finite.mean(over, true), merged(finite, keep, over).mean(last).reshape(finite.shape.map((s, d) => (over.includes(d) ? 1 : s))));
    expect(bits(special.amax(over))).toEqual(bits(merged(special, keep, over).amax(last)));
    expect(bits(special.amin(over))).toEqual(bits(merged(special, keep, over).amin(last)));
    const counts = finite.gt(0);
    expect(bits(counts.sum(over))).toEqual(bits(merged(counts, keep, over).sum(last)));
    expect(counts.sum(over).dtype).toBe('int64');
  });
});
