import { ones, rand, type Tensor } from '../index';

// Each test uses its own size of weight so that buffers pooled by one cannot reach another.
import { describeEachBackend } from '@wick/test-harness';

// Every test here runs on each backend this platform has.
describeEachBackend('buffer pool', () => {
  function weightWithGradient(rows: number): Tensor {
    const w = rand([rows, 200]).requiresGrad_();
    rand([4, rows]).matmul(w).sum().backward();
    return w;
  }

  test('a gradient nothing outside autograd saw is reused, zeroed, by the next output of its size', () => {
    const w = weightWithGradient(128);
    const grad = w.peekGrad() as Tensor;
    const buffer = grad.storage.data;
    w.grad = null;
    expect(grad.isDisposed).toBe(true);
    const y = ones([128, 200]).mul(0);
    expect(y.storage.data).toBe(buffer);
    expect(y.sum().item()).toBe(0);
  });

  test('a gradient that was read is never reused: the reader keeps its values', () => {
    const w = weightWithGradient(129);
    const held = w.grad as Tensor;
    const values = held.toArray();
    w.grad = null;
    const y = ones([129, 200]).add(1);
    expect(y.storage.data).not.toBe(held.storage.data);
    expect(held.isDisposed).toBe(false);
    expect(held.toArray()).toEqual(values);
  });

  test('a gradient assigned from outside is never reused', () => {
    const w = rand([130, 200]).requiresGrad_();
    const mine = ones([130, 200]);
    w.grad = mine;
    w.grad = null;
    expect(ones([130, 200]).add(1).storage.data).not.toBe(mine.storage.data);
    expect(mine.sum().item()).toBe(130 * 200);
  });

  test('backward adds into a gradient that was read, in place, and later ones are pooled again', () => {
    const w = weightWithGradient(131);
    const first = w.grad as Tensor;
    const once = first.toArray() as number[][];
    rand([4, 131]).matmul(w).sum().backward();
    expect(w.peekGrad()).toBe(first);
    expect((first.toArray() as number[][])[0][0]).not.toBe(once[0][0]);
    w.grad = null;
    rand([4, 131]).matmul(w).sum().backward();
    const fresh = w.peekGrad() as Tensor;
    w.grad = null;
    expect(fresh.isDisposed).toBe(true);
    expect(first.isDisposed).toBe(false);
  });
});
