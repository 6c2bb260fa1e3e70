import {
  Generator, arange, cat, eye, full, fullLike, manualSeed, ones, onesLike, rand, randint, randn, randnLike, randperm, stack,
  tensor, zeros, zerosLike,
} from '../index';
import { describeEachBackend } from '@wick/test-harness';

// Every test here runs on each backend this platform has.
describeEachBackend('tensors', () => {
  describe('creation', () => {
    test('nested arrays give the shape; numbers default to float32, booleans to bool', () => {
      const x = tensor([[1, 2, 3], [4, 5, 6]]);
      expect(x.shape).toEqual([2, 3]);
      expect(x.dtype).toBe('float32');
      expect(x.ndim).toBe(2);
      expect(x.numel()).toBe(6);
      expect(tensor([true, false]).dtype).toBe('bool');
      expect(tensor(3.5).shape).toEqual([]);
      expect(tensor(3.5).item()).toBe(3.5);
    });

    test('flat data with a shape, and typed arrays without a copy', () => {
      expect(tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2] }).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
      const data = new Float32Array([1, 2, 3, 4]);
      const t = tensor(data, { shape: [2, 2] });
      expect(t.dataSync()).toBe(data);
      expect(tensor(new Float64Array(2)).dtype).toBe('float64');
      expect(tensor(new Int32Array([1, -2])).dtype).toBe('int64');
    });

    test('int64 round-trips exactly or is refused', () => {
      const big = 2 ** 53 - 1;
      expect(tensor([big, -big], { dtype: 'int64' }).toArray()).toEqual([big, -big]);
      expect(() => tensor([1.5], { dtype: 'int64' })).toThrow('int64 value 1.5 is not an integer');
      expect(() => tensor([2 ** 53], { dtype: 'int64' })).toThrow('cannot be stored exactly');
      expect(tensor(new BigInt64Array([5n, -7n])).toArray()).toEqual([5, -7]);
      expect(() => tensor(new BigInt64Array([2n ** 60n]))).toThrow('beyond 2^53 - 1');
    });

    test('bad data gives errors that say where', () => {
      expect(() => tensor([[1, 2], [3]])).toThrow('ragged nested array: expected a sequence of length 2 at index [1], got length 1');
      expect(() => tensor([1, NaN])).toThrow('non-finite value NaN at index [1]');
      expect(() => tensor([1, 'a' as unknown as number])).toThrow('expected a number at index [1], got string a');
      expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow('shape [2, 2] needs 4 elements, but the data has 3');
    });

    test('zeros, ones, full, eye, arange and the *Like forms', () => {
      expect(zeros([2]).toArray()).toEqual([0, 0]);
      expect(ones([2], { dtype: 'float64' }).dtype).toBe('float64');
      expect(full([2], 7).toArray()).toEqual([7, 7]);
      expect(full([1], -Infinity).item()).toBe(-Infinity);
      expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
      expect(arange(4).dtype).toBe('int64');
      expect(arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
      expect(arange(1, 2, 0.25).dtype).toBe('float32');
      expect(() => arange(0, 5, -1)).toThrow('upper bound and step are inconsistent');
      const x = tensor([[1, 2]], { dtype: 'float64' });
      expect(zerosLike(x).dtype).toBe('float64');
      expect(onesLike(x).shape).toEqual([1, 2]);
      expect(fullLike(x, 3).toArray()).toEqual([[3, 3]]);
    });
  });

  describe('random', () => {
    test('manualSeed makes draws reproducible', () => {
      manualSeed(42);
      const a = randn([5]).toArray();
      const b = rand([3]).toArray();
      manualSeed(42);
      expect(randn([5]).toArray()).toEqual(a);
      expect(rand([3]).toArray()).toEqual(b);
    });

    test('distributions look right', () => {
      const g = new Generator(7);
      const u = rand([20000], { generator: g, dtype: 'float64' });
      expect(u.mean().item()).toBeCloseTo(0.5, 1);
      expect(u.amin().item()).toBeGreaterThanOrEqual(0);
      expect(u.amax().item()).toBeLessThan(1);
      const n = randn([20000], { generator: g, dtype: 'float64' });
      expect(Math.abs(n.mean().item())).toBeLessThan(0.03);
      expect(n.std().item()).toBeCloseTo(1, 1);
      const r = randint(3, 6, [1000], { generator: g });
      expect(r.dtype).toBe('int64');
      expect(r.amin().item()).toBe(3);
      expect(r.amax().item()).toBe(5);
      expect(randnLike(u).shape).toEqual([20000]);
      expect([...randperm(6, { generator: g }).dataSync()].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    });
  });

  describe('printing', () => {
    test('prints like torch', () => {
      expect(tensor([[1, 2], [3, 4]]).toString()).toBe('tensor([[1., 2.],\n        [3., 4.]])');
      expect(tensor([0.5, -1.25]).toString()).toBe('tensor([ 0.5000, -1.2500])');
      expect(tensor([1, 2], { dtype: 'int64' }).toString()).toBe('tensor([1, 2])');
      expect(tensor([1e-5, 1]).toString()).toBe('tensor([1.0000e-05, 1.0000e+00])');
      expect(tensor([1], { dtype: 'float64', requiresGrad: true }).toString()).toBe('tensor([1.], dtype=float64, requiresGrad=true)');
      expect(tensor([1], { requiresGrad: true }).mul(2).toString()).toBe('tensor([2.], gradFn=<MulBackward>)');
      expect(tensor(2.5).toString()).toBe('tensor(2.5000)');
      expect(tensor([true, false]).toString()).toBe('tensor([ true, false])');
      expect(zeros([0, 3]).toString()).toBe('tensor([], size=[0, 3])');
    });

    test('summarises large tensors', () => {
      expect(arange(2000).toString()).toBe('tensor([   0,    1,    2,  ..., 1997, 1998, 1999])');
    });
  });

  describe('broadcasting, dims and shape errors', () => {
    test('binary ops broadcast and name shapes that do not', () => {
      expect(ones([2, 1]).add(ones([3])).shape).toEqual([2, 3]);
      expect(() => zeros([64, 10]).add(zeros([3]))).toThrow('add: shapes [64, 10] and [3] do not broadcast');
    });

    test('scalars follow torch type promotion', () => {
      const i = tensor([1, 2], { dtype: 'int64' });
      expect(i.add(1).dtype).toBe('int64');
      expect(i.add(0.5).dtype).toBe('float32');
      expect(i.div(2).dtype).toBe('float32');
      expect(i.div(2).toArray()).toEqual([0.5, 1]);
      expect(ones([2]).add(tensor(1, { dtype: 'float64' })).dtype).toBe('float32');
      expect(ones([2]).add(ones([2], { dtype: 'float64' })).dtype).toBe('float64');
      expect(i.gt(1).dtype).toBe('bool');
    });

    test('negative dims count from the end; out-of-range dims are named', () => {
      const x = zeros([2, 3, 4]);
      expect(x.sum(-1).shape).toEqual([2, 3]);
      expect(() => x.sum(3)).toThrow('sum: dim 3 is out of range for a tensor of rank 3 (expected an integer in [-3, 2])');
      expect(() => x.softmax(-4)).toThrow('softmax: dim -4 is out of range');
    });

    test('matmul follows torch and names mismatched shapes', () => {
      expect(ones([3]).matmul(ones([3])).shape).toEqual([]);
      expect(ones([2, 3]).matmul(ones([3])).shape).toEqual([2]);
      expect(ones([3]).matmul(ones([3, 4])).shape).toEqual([4]);
      expect(ones([5, 2, 3]).matmul(ones([3, 4])).shape).toEqual([5, 2, 4]);
      expect(() => ones([64, 784]).matmul(ones([100, 10]))).toThrow('matmul: shapes [64, 784] and [100, 10] cannot be multiplied (784 != 100)');
      expect(() => ones([2], { dtype: 'int64' }).matmul(ones([2], { dtype: 'int64' }))).toThrow('expected a floating-point tensor, got int64');
    });

    test('ops that need floats refuse int64', () => {
      expect(() => arange(3).exp()).toThrow('exp: expected a floating-point tensor, got int64');
      expect(() => arange(3).mean()).toThrow('mean: expected a floating-point tensor, got int64');
    });
  });

  describe('views and shape ops', () => {
    test('views share storage; reshape copies only when it must', () => {
      const x = arange(6).reshape(2, 3);
      const t = x.t();
      expect(t.isContiguous()).toBe(false);
      expect(t.storage).toBe(x.storage);
      expect(() => t.view(6)).toThrow('is not contiguous; use reshape() instead');
      expect(t.reshape(6).toArray()).toEqual([0, 3, 1, 4, 2, 5]);
      expect(x.view(-1, 2).shape).toEqual([3, 2]);
      expect(() => x.reshape(4, -1)).toThrow('shape [4, -1] is invalid for input of size 6');
    });

    test('squeeze, unsqueeze, flatten, permute, expand', () => {
      const x = zeros([2, 1, 3]);
      expect(x.squeeze().shape).toEqual([2, 3]);
      expect(x.squeeze(0).shape).toEqual([2, 1, 3]);
      expect(x.unsqueeze(-1).shape).toEqual([2, 1, 3, 1]);
      expect(x.flatten().shape).toEqual([6]);
      expect(x.flatten(1).shape).toEqual([2, 3]);
      expect(x.permute(2, 0, 1).shape).toEqual([3, 2, 1]);
      expect(() => x.permute(0, 0, 1)).toThrow('not a permutation');
      expect(x.expand(4, 2, 5, 3).shape).toEqual([4, 2, 5, 3]);
      expect(() => x.expand(3, 1, 3)).toThrow('the expanded size 3 must match the existing size 2 at dim 0');
    });

    test('slicing, cat and stack', () => {
      const x = arange(12).reshape(3, 4);
      expect(x.slice(1, 1, undefined, 2).toArray()).toEqual([[1, 3], [5, 7], [9, 11]]);
      expect(x.slice(0, -2).toArray()).toEqual([[4, 5, 6, 7], [8, 9, 10, 11]]);
      expect(x.select(1, -1).toArray()).toEqual([3, 7, 11]);
      expect(() => x.narrow(0, 2, 2)).toThrow('narrow: start 2 and length 2 are out of range for dim 0 of size 3');
      expect(cat([x, x], 1).shape).toEqual([3, 8]);
      expect(() => cat([x, zeros([2, 3])])).toThrow('cat: tensor 1 has shape [2, 3], which does not match [3, 4] except in dim 0');
      expect(stack([x, x], -1).shape).toEqual([3, 4, 2]);
    });

    test('gather and indexSelect check their indices', () => {
      const x = tensor([[1, 2, 3], [4, 5, 6]]);
      expect(x.gather(1, tensor([[2], [0]], { dtype: 'int64' })).toArray()).toEqual([[3], [4]]);
      expect(() => x.gather(1, tensor([[3], [0]], { dtype: 'int64' }))).toThrow('gather: index 3 is out of bounds for dim 1 with size 3');
      expect(() => x.gather(1, tensor([[1], [0]]))).toThrow('expected an int64 index tensor, got float32');
      expect(x.indexSelect(1, tensor([2, 2], { dtype: 'int64' })).toArray()).toEqual([[3, 3], [6, 6]]);
    });
  });

  describe('reductions', () => {
    test('max and min with indices destructure by position or by name', () => {
      const x = tensor([[1, 5, 2], [7, 0, 7]]);
      const [values, indices] = x.max(1);
      expect(values.toArray()).toEqual([5, 7]);
      expect(indices.toArray()).toEqual([1, 0]);
      expect(x.min(0).indices.toArray()).toEqual([0, 1, 0]);
      expect(x.argmax().item()).toBe(3);
      expect(x.argmax(1, true).shape).toEqual([2, 1]);
      expect(x.max().item()).toBe(7);
    });

    test('sums of int64 and bool stay integral; NaN propagates through max', () => {
      expect(arange(4).sum().dtype).toBe('int64');
      expect(tensor([true, true, false]).sum().item()).toBe(2);
      expect(tensor(new Float32Array([1, NaN, 3])).amax().item()).toBeNaN();
    });
  });

  describe('no silent wrong answers', () => {
    test('in-place writes into expanded views are refused', () => {
      const x = zeros([1, 3]).expand(2, 3);
      expect(() => x.add_(1)).toThrow('add_: the tensor of shape [2, 3] is an expanded view in which several elements share one memory location');
    });

    test('integers to negative powers are refused, as in torch', () => {
      expect(() => arange(1, 4).pow(-1)).toThrow('pow: integers to negative integer powers are not allowed');
      expect(arange(1, 4).pow(2).toArray()).toEqual([1, 4, 9]);
      expect(arange(1, 3).float().pow(-1).toArray()).toEqual([1, 0.5]);
    });
  });

  test('int64 arithmetic beyond 2^53 - 1 is refused instead of rounded', () => {
    const big = tensor([2 ** 52, 3], { dtype: 'int64' });
    expect(() => big.mul(4)).toThrow('mul: int64 result 18014398509481984 is beyond 2^53 - 1');
    expect(() => tensor([2 ** 53 - 1, 1], { dtype: 'int64' }).sum()).toThrow('sum: int64 result 9007199254740992 is beyond 2^53 - 1');
    expect(big.add(1).toArray()).toEqual([2 ** 52 + 1, 4]);
  });

  test('dispose() frees a tensor now; it and its views then refuse to be used', () => {
    const x = ones([2, 3]);
    const v = x.t();
    x.dispose();
    expect(x.isDisposed).toBe(true);
    expect(v.isDisposed).toBe(true);
    expect(() => x.add(1)).toThrow('has been disposed');
    expect(() => v.toArray()).toThrow('has been disposed');
    expect(x.toString()).toBe('tensor(<disposed>)');
  });
});
