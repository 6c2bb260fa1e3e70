import { describeEachBackend, testOp, type GoldenCase } from '@wick/test-harness';
import golden from '../../golden/normalization.json';
import { batchNorm, embedding, groupNorm, layerNorm, randn, tensor, zeros, type Tensor } from '../index';
import * as testing from '../testing';

type NormCase = GoldenCase & { fn: string; extra?: testing.EncodedTensor[] };
const num = (v: unknown) => v as number | undefined;

/** Mirrors the functions of scripts/golden/normalization.py; running statistics are copied, as the script clones them. */
const FNS: Record<string, (x: Tensor[], kw: Record<string, unknown>) => Tensor> = {
  batch_norm_train: ([x, weight, bias, rm, rv], kw) => batchNorm(x, rm.clone(), rv.clone(), { weight, bias, training: true, momentum: num(kw.momentum), eps: num(kw.eps) }),
  batch_norm_eval: ([x, weight, bias, rm, rv], kw) => batchNorm(x, rm, rv, { weight, bias, eps: num(kw.eps) }),
  layer_norm: ([x, weight = null, bias = null], kw) => layerNorm(x, kw.normalized_shape as number[], { weight, bias, eps: num(kw.eps) }),
  group_norm: ([x, weight = null, bias = null], kw) => groupNorm(x, kw.num_groups as number, { weight, bias, eps: num(kw.eps) }),
  embedding: ([idx, weight], kw) => embedding(idx.long(), weight, (kw.padding_idx as number | undefined) ?? null),
};

const cases = golden.cases as NormCase[];

describeEachBackend('normalizations and embedding', () => {
  // paddingIdx's row gets no gradient by design (torch's rule), so finite differences disagree there.
  testOp('batchNorm, layerNorm, groupNorm, embedding', {
    cases,
    run: (inputs, c) => FNS[c.fn](inputs, c.kw),
    gradcheck: (c) => (c.kw.padding_idx === undefined ? {} : false),
  });

  test.each(cases.filter((c) => c.extra !== undefined).map((c) => [c.name, c] as const))('%s updates the running statistics as torch', (_name, c) => {
    const [x, weight, bias, rm, rv] = c.inputs.map((e) => testing.decodeTensor(e));
    batchNorm(x, rm, rv, { weight, bias, training: true, momentum: num(c.kw.momentum) });
    const [mean, variance] = (c.extra as testing.EncodedTensor[]).map((e) => testing.decodeTensor(e));
    testing.assertClose(rm, mean);
    testing.assertClose(rv, variance);
  });
});

describe('bad input gets a clear error', () => {
  test('shapes and the batch of one', () => {
    expect(() => batchNorm(randn([1, 3]), zeros([3]), zeros([3]), { training: true })).toThrow(
      'batchNorm: expected more than 1 value per channel when training, got input of shape [1, 3]',
    );
    expect(() => batchNorm(randn([2, 3]), zeros([4]), zeros([4]))).toThrow('batchNorm: runningMean must be a 1-D tensor of 3 values (one per channel), got shape [4]');
    expect(() => layerNorm(randn([2, 3]), [4])).toThrow('layerNorm: given normalizedShape [4], expected an input whose last dims are [4], got shape [2, 3]');
    expect(() => groupNorm(randn([2, 6, 3]), 4)).toThrow('groupNorm: expected the number of channels (6) to be divisible by numGroups (4)');
    expect(() => embedding(tensor([0, 5], { dtype: 'int64' }), randn([5, 2]))).toThrow('embedding: index 5 is out of range for 5 embeddings');
    expect(() => embedding(tensor([0, 1]), randn([5, 2]))).toThrow('embedding: expected int64 indices, got float32');
  });
});
