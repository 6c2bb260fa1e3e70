import { describeEachBackend } from '@wick/test-harness';
import { arange, tensor, zeros, type Tensor } from '@wick/core';
import * as testing from '@wick/core/testing';
import golden from '../../golden/utils.json';
import { Linear, data, utils } from '../index';

describeEachBackend('nn.utils', () => {
  test.each(golden.clipGradNorm.map((c) => [String(c.normType), c] as const))('clipGradNorm_ of order %s scales gradients as torch', (_name, c) => {
    const params = c.grads.map((g) => {
      const p = zeros(g.shape, { requiresGrad: true });
      p.grad = testing.decodeTensor(g as testing.EncodedTensor);
      return p;
    });
    const normType = c.normType === 'inf' ? Infinity : (c.normType as number);
    const total = utils.clipGradNorm_(params, c.maxNorm, { normType });
    expect(total.item()).toBeCloseTo(c.total, 5);
    params.forEach((p, i) => testing.assertClose(p.grad as Tensor, testing.decodeTensor(c.clipped[i] as testing.EncodedTensor)));
  });

  test('clipGradValue_, the non-finite check, and parameter vectors', () => {
    const p = zeros([3], { requiresGrad: true });
    p.grad = tensor([-5, 0.5, 3]);
    utils.clipGradValue_([p], 1);
    expect((p.grad as Tensor).toArray()).toEqual([-1, 0.5, 1]);
    p.grad = tensor(Float32Array.from([NaN, 1, 1]));
    expect(() => utils.clipGradNorm_([p], 1, { errorIfNonfinite: true })).toThrow('clipGradNorm_: the total norm of order 2 for gradients from parameters is non-finite (NaN)');
    const layer = new Linear(3, 2);
    const vec = utils.parametersToVector(layer.parameters());
    expect(vec.shape).toEqual([8]);
    utils.vectorToParameters(arange(8).float(), layer.parameters());
    expect(layer.weight.toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(layer.bias?.toArray()).toEqual([6, 7]);
    expect(() => utils.vectorToParameters(arange(5).float(), layer.parameters())).toThrow('vectorToParameters: expected a 1-D vector of 8 values for the parameters, got shape [5]');
  });

  test('ConcatDataset chains datasets', () => {
    const a = new data.TensorDataset(arange(3));
    const b = new data.TensorDataset(arange(10, 12));
    const both = new data.ConcatDataset([a, b]);
    expect(both.length).toBe(5);
    expect([0, 2, 3, 4, -1].map((i) => both.get(i)[0].item())).toEqual([0, 2, 10, 11, 11]);
    expect(() => both.get(5)).toThrow('ConcatDataset: index 5 is out of range for 5 samples');
  });
});
