import { describeEachBackend, testOp, type GoldenCase } from '@wick/test-harness';
import golden from '../../golden/normalization.json';
import { batchNorm, embedding, gradcheck, groupNorm, layerNorm, rand, randn, tensor, zeros, type Tensor } from '../index';
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

describeEachBackend('batchNorm, its own kernels', () => {
  test.each([
    [[8, 3], true, true],
    [[4, 5, 6, 7], true, false],
    [[3, 2, 9], false, true],
  ] as const)('equals its composition, outputs and gradients, training and evaluation: input %j, affine %s', (shape, affine, training) => {
    for (const dtype of ['float32', 'float64'] as const) {
      const channels = shape[1];
      const x = randn([...shape], { dtype, requiresGrad: true });
      const weight = affine ? randn([channels], { dtype, requiresGrad: true }) : null;
      const bias = affine ? randn([channels], { dtype, requiresGrad: true }) : null;
      const runningMean = randn([channels], { dtype });
      const runningVar = rand([channels], { dtype }).add(0.5);
      const dims = [0, ...Array.from({ length: shape.length - 2 }, (_, i) => i + 2)];
      const fused = batchNorm(x, runningMean.clone(), runningVar.clone(), { weight, bias, training, eps: 1e-3 });
      const composed = training
        ? testing.batchNormReference(x, x.mean(dims), x.var(dims, { correction: 0 }), weight, bias, 1e-3)
        : testing.batchNormReference(x, runningMean, runningVar, weight, bias, 1e-3);
      const tol = dtype === 'float64' ? { rtol: 1e-10, atol: 1e-10 } : { rtol: 1e-4, atol: 1e-5 };
      testing.assertClose(fused, composed, tol);
      const g = randn([...shape], { dtype });
      fused.backward(g);
      const leaves = weight === null || bias === null ? [x] : [x, weight, bias];
      const grads = leaves.map((t) => t.grad as Tensor);
      for (const t of leaves) t.grad = null;
      composed.backward(g);
      leaves.forEach((t, i) => testing.assertClose(grads[i], t.grad as unknown as Tensor, tol));
    }
  });

  test.each([true, false])('passes gradcheck without weight and bias, and with a weight alone (training %s)', (training) => {
    const x = randn([4, 3, 5], { dtype: 'float64', requiresGrad: true });
    const weight = randn([3], { dtype: 'float64', requiresGrad: true });
    const [rm, rv] = [randn([3], { dtype: 'float64' }), rand([3], { dtype: 'float64' }).add(0.5)];
    expect(gradcheck((t) => batchNorm(t, rm, rv, { training }), [x]).passed).toBe(true);
    expect(gradcheck((t, w) => batchNorm(t, rm, rv, { weight: w, training }), [x, weight]).passed).toBe(true);
  });
});

describeEachBackend('layerNorm, its own kernels', () => {
  test.each([
    [[6, 10], [10], true, true],
    [[2, 3, 4, 5], [4, 5], true, false],
    [[5, 7], [7], false, true],
    [[3, 8], [8], false, false],
  ] as const)('equals its composition, outputs and gradients: input %j, normalized %j, weight %s, bias %s', (shape, normalized, withWeight, withBias) => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = randn([...shape], { dtype, requiresGrad: true });
      const weight = withWeight ? randn([...normalized], { dtype, requiresGrad: true }) : null;
      const bias = withBias ? randn([...normalized], { dtype, requiresGrad: true }) : null;
      const fused = layerNorm(x, normalized, { weight, bias, eps: 1e-3 });
      const composed = testing.layerNormReference(x, normalized.length, weight, bias, 1e-3);
      const tol = dtype === 'float64' ? { rtol: 1e-10, atol: 1e-10 } : { rtol: 1e-4, atol: 1e-5 };
      testing.assertClose(fused, composed, tol);
      const g = randn([...shape], { dtype });
      fused.backward(g);
      const leaves = [x, weight, bias].filter((t): t is Tensor => t !== null);
      const grads = leaves.map((t) => t.grad as Tensor);
      for (const t of leaves) t.grad = null;
      composed.backward(g);
      leaves.forEach((t, i) => testing.assertClose(grads[i], t.grad as unknown as Tensor, tol));
    }
  });
});

describe('bad input gets a clear error', () => {
  test('shapes and the batch of one', () => {
    expect(() => batchNorm(randn([1, 3]), zeros([3]), zeros([3]), { training: true })).toThrow(
      'batchNorm: expected more than 1 value per channel when training, got input of shape [1, 3]',
    );
    expect(() => batchNorm(randn([2, 3]), zeros([4]), zeros([4]))).toThrow('batchNorm: runningMean must be a 1-D tensor of 3 values (one per channel), got shape [4]');
    expect(() => batchNorm(randn([2, 3]), zeros([3]), zeros([3], { requiresGrad: true }))).toThrow(
      'batchNorm: runningVar is a buffer, not differentiable, and cannot require grad (as in torch)',
    );
    expect(() => layerNorm(randn([2, 3]), [4])).toThrow('layerNorm: given normalizedShape [4], expected an input whose last dims are [4], got shape [2, 3]');
    expect(() => groupNorm(randn([2, 6, 3]), 4)).toThrow('groupNorm: expected the number of channels (6) to be divisible by numGroups (4)');
    expect(() => embedding(tensor([0, 5], { dtype: 'int64' }), randn([5, 2]))).toThrow('embedding: index 5 is out of range for 5 embeddings');
    expect(() => embedding(tensor([0, 1]), randn([5, 2]))).toThrow('embedding: expected int64 indices, got float32');
  });
});
