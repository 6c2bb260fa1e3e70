import { describeEachBackend } from '@wick/test-harness';
import { arange, manualSeed, ones, rand, randn, tensor, zeros } from '../index';

describeEachBackend('conveniences PyTorch code leans on', () => {
  test('creation takes sizes as torch does: randn(784, 10) as well as randn([784, 10]), options last', () => {
    manualSeed(0);
    const a = randn(784, 10);
    manualSeed(0);
    expect(randn([784, 10]).toArray()).toEqual(a.toArray());
    expect(zeros(2, 3, { dtype: 'int64' }).dtype).toBe('int64');
    expect(ones(4).shape).toEqual([4]);
    expect(rand(2, 3, { dtype: 'float64' }).dtype).toBe('float64');
    expect(zeros().shape).toEqual([]);
    expect(() => zeros(2, '3' as unknown as number)).toThrow('zeros: expected sizes as numbers or one array of numbers, then options, got (2, "3")');
  });

  test(".to('cpu') is the tensor itself; another device is refused with the reason", () => {
    const x = randn(2, 2);
    expect(x.to('cpu')).toBe(x);
    expect(() => x.to('cuda')).toThrow("to: Wick computes on the CPU (in WebAssembly where available); there is no device 'cuda'");
    expect(x.to('float64').dtype).toBe('float64');
  });

  test('viewAs and typeAs', () => {
    const x = arange(6).float();
    expect(x.viewAs(zeros(2, 3)).shape).toEqual([2, 3]);
    expect(x.typeAs(zeros(1, { dtype: 'float64' })).dtype).toBe('float64');
  });

  test("index: x[range(n), y]-style advanced indexing, differentiable", () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    const y = tensor([2, 0], { dtype: 'int64' });
    const picked = x.index(arange(2), y);
    expect(picked.toArray()).toEqual([3, 4]);
    picked.sum().backward();
    expect(x.grad?.toArray()).toEqual([[0, 0, 1], [1, 0, 0]]);
    expect(x.index(tensor([-1], { dtype: 'int64' })).toArray()).toEqual([[4, 5, 6]]);
    expect(x.index(tensor([[0], [1]], { dtype: 'int64' }), tensor([0, 2], { dtype: 'int64' })).toArray()).toEqual([[1, 3], [4, 6]]);
    expect(() => x.index(tensor([2], { dtype: 'int64' }))).toThrow('index: index 2 is out of bounds for dim 0 with size 2');
    expect(() => x.index(tensor([0.5]))).toThrow('index: index tensor 0 must be int64, got float32');
  });
});

describe('clear limits', () => {
  test('an allocation too large names the op, the elements and the bytes', () => {
    expect(() => zeros([1e5, 1e5])).toThrow('zeros: cannot allocate 10000000000 float32 elements (40000000000 bytes, 37.3 GiB)');
    expect(() => randn(1e5, 1e5)).toThrow('randn: cannot allocate 10000000000 float32 elements');
  });

  test('booleans and numbers mixed in nested arrays are refused', () => {
    expect(() => tensor([true, 2])).toThrow('tensor: mixed booleans and numbers: a boolean at index [0] and the number 2 at index [1]; give one type');
    expect(() => tensor([[1], [false]])).toThrow('a number at index [0, 0] and the boolean false at index [1, 0]');
    expect(tensor([true, false]).dtype).toBe('bool');
  });
});
