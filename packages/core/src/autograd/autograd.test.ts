import {
  Context, Function, Tensor, enableGrad, gradcheck, isGradEnabled, linear, noGrad, ones, randn, tensor, zeros, manualSeed,
} from '../index';
import { accumulateInto, unsharedGradient } from './accumulateGrad';
import { describeEachBackend } from '@wick/test-harness';

// Every test here runs on each backend this platform has.
describeEachBackend('autograd', () => {
  describe('backward', () => {
    test('a scalar backpropagates with an implicit gradient of 1', () => {
      const x = tensor([1, 2, 3], { requiresGrad: true });
      x.mul(x).sum().backward();
      expect(x.grad?.toArray()).toEqual([2, 4, 6]);
    });

    test('a non-scalar needs an explicit gradient, as in torch', () => {
      const x = tensor([1, 2, 3], { requiresGrad: true });
      expect(() => x.mul(2).backward()).toThrow('grad can be implicitly created only for scalar outputs; this tensor has shape [3]');
      x.mul(2).backward(tensor([1, 0, 1]));
      expect(x.grad?.toArray()).toEqual([2, 0, 2]);
    });

    test('a gradient of the wrong shape is refused', () => {
      const x = tensor([1, 2, 3], { requiresGrad: true });
      expect(() => x.mul(2).backward(tensor([1, 2]))).toThrow('gradient of shape [2] does not match the tensor\'s shape [3]');
    });

    test('gradients accumulate into leaves across calls', () => {
      const x = tensor([1, 2], { requiresGrad: true });
      x.mul(3).sum().backward();
      x.mul(3).sum().backward();
      expect(x.grad?.toArray()).toEqual([6, 6]);
    });

    test('a leaf reached along several paths gets the sum', () => {
      const x = tensor([2], { requiresGrad: true });
      const y = x.mul(x).add(x.mul(3)); // dy/dx = 2x + 3
      y.sum().backward();
      expect(x.grad?.toArray()).toEqual([7]);
    });

    test('two leaves that receive the same gradient tensor do not share storage', () => {
      const a = tensor([1], { requiresGrad: true });
      const b = tensor([1], { requiresGrad: true });
      a.add(b).sum().backward();
      a.grad?.add_(10);
      expect(b.grad?.toArray()).toEqual([1]);
    });

    test('a tensor without grad cannot backward', () => {
      expect(() => tensor([1]).sum().backward()).toThrow('does not require grad');
    });

    test('backward through freed saved tensors fails clearly; retainGraph keeps them', () => {
      const x = tensor([1, 2], { requiresGrad: true });
      const y = x.exp().sum();
      y.backward(undefined, { retainGraph: true });
      y.backward();
      expect((x.grad?.toArray() as number[])[0]).toBeCloseTo(2 * Math.E, 5);
      expect(() => y.backward()).toThrow('Trying to backward through the graph a second time');
    });

    test('a graph of 100,000 nodes backpropagates without overflowing the stack', () => {
      const x = tensor([1], { requiresGrad: true });
      let y = x;
      for (let i = 0; i < 100_000; i++) y = y.add(1);
      y.sum().backward();
      expect(x.grad?.toArray()).toEqual([1]);
    });

    test('retainGrad keeps the gradient of a non-leaf', () => {
      const x = tensor([1, 2], { requiresGrad: true });
      const h = x.mul(2);
      h.retainGrad();
      expect(h.retainsGrad).toBe(true);
      h.mul(h).sum().backward();
      expect(h.grad?.toArray()).toEqual([4, 8]);
      expect(x.grad?.toArray()).toEqual([8, 16]);
    });

    test('isLeaf, gradFn and requiresGrad follow torch', () => {
      const x = tensor([1], { requiresGrad: true });
      const y = x.mul(2);
      expect(x.isLeaf).toBe(true);
      expect(x.gradFn).toBeNull();
      expect(y.isLeaf).toBe(false);
      expect(y.gradFn?.name).toBe('MulBackward');
      expect(y.requiresGrad).toBe(true);
      expect(tensor([1]).mul(2).requiresGrad).toBe(false);
      expect(() => y.requiresGrad_(false)).toThrow('only change requiresGrad of leaf tensors');
      expect(() => tensor([1], { dtype: 'int64' }).requiresGrad_()).toThrow('only floating-point tensors');
    });
  });

  describe('grad mode', () => {
    test('noGrad records nothing; enableGrad turns recording back on', () => {
      const x = tensor([1], { requiresGrad: true });
      const y = noGrad(() => x.mul(2));
      expect(y.requiresGrad).toBe(false);
      expect(y.gradFn).toBeNull();
      const z = noGrad(() => enableGrad(() => x.mul(2)));
      expect(z.requiresGrad).toBe(true);
      expect(isGradEnabled()).toBe(true);
    });

    test('noGrad restores the mode when fn throws', () => {
      expect(() => noGrad(() => { throw new Error('boom'); })).toThrow('boom');
      expect(isGradEnabled()).toBe(true);
    });

    test('detach shares data and cuts history', () => {
      const x = tensor([1, 2], { requiresGrad: true });
      const d = x.mul(2).detach();
      expect(d.requiresGrad).toBe(false);
      expect(d.isLeaf).toBe(true);
      const x2 = x.detach();
      noGrad(() => x.add_(1));
      expect(x2.toArray()).toEqual([2, 3]);
    });
  });

  describe('in-place operations', () => {
    test('are refused on a leaf that requires grad, and allowed under noGrad', () => {
      const w = tensor([1, 2], { requiresGrad: true });
      expect(() => w.add_(1)).toThrow('a leaf tensor that requires grad is being used in an in-place operation');
      expect(w.toArray()).toEqual([1, 2]);
      noGrad(() => w.sub_(tensor([1, 1])));
      expect(w.toArray()).toEqual([0, 1]);
    });

    test('write through views into the shared storage', () => {
      const x = zeros([2, 3]);
      x.select(0, 1).fill_(5);
      x.t().narrow(0, 0, 1).add_(1);
      expect(x.toArray()).toEqual([[1, 0, 0], [6, 5, 5]]);
    });

    test('a saved tensor modified in place makes backward fail', () => {
      const w = tensor([1, 2], { requiresGrad: true });
      const x = tensor([3, 4]);
      const y = w.mul(x).sum();
      x.mul_(2);
      expect(() => y.backward()).toThrow('modified by an in-place operation');
    });

    test('results that cannot be stored are refused before anything changes', () => {
      const i = tensor([1, 2], { dtype: 'int64' });
      expect(() => i.mul_(0.5)).toThrow("mul_: result type float32 can't be cast to the tensor's dtype int64");
      expect(() => i.add_(tensor([1, 2, 3], { dtype: 'int64' }))).toThrow('do not broadcast');
      expect(i.toArray()).toEqual([1, 2]);
    });
  });

  describe('custom Function', () => {
    class Cube extends Function {
      static forward(ctx: Context, x: Tensor): Tensor {
        ctx.saveForBackward(x);
        return x.mul(x).mul(x);
      }
      static backward(ctx: Context, g: Tensor) {
        const [x] = ctx.savedTensors;
        return g.mul(x.mul(x).mul(3));
      }
    }

    class WrongCube extends Cube {
      static backward(ctx: Context, g: Tensor) {
        const [x] = ctx.savedTensors;
        return g.mul(x.mul(x).mul(2));
      }
    }

    class Scale extends Function {
      static forward(ctx: Context<{ factor: number }>, x: Tensor, factor: number): Tensor {
        ctx.state = { factor };
        return x.mul(factor);
      }
      static backward(ctx: Context<{ factor: number }>, g: Tensor) {
        expect(ctx.needsInputGrad).toEqual([true, false]);
        return [g.mul(ctx.state.factor), null];
      }
    }

    test('apply records a node whose backward is the hand-written one', () => {
      const x = tensor([1, 2], { requiresGrad: true });
      const y = Cube.apply(x);
      expect(y.gradFn?.name).toBe('CubeBackward');
      y.sum().backward();
      expect(x.grad?.toArray()).toEqual([3, 12]);
    });

    test('non-tensor arguments are passed through and get null gradients', () => {
      const x = tensor([1, 2], { requiresGrad: true });
      Scale.apply(x, 4).sum().backward();
      expect(x.grad?.toArray()).toEqual([4, 4]);
    });

    test('gradcheck accepts a right backward and catches a wrong one, naming the element', () => {
      manualSeed(1);
      const x = randn([3], { dtype: 'float64', requiresGrad: true });
      expect(gradcheck((t) => Cube.apply(t), [x]).passed).toBe(true);
      const bad = gradcheck((t) => WrongCube.apply(t), [x]);
      expect(bad.passed).toBe(false);
      expect(bad.worst?.input).toBe(0);
      expect(bad.worst?.analytic).toBeCloseTo((2 / 3) * (bad.worst?.numerical ?? NaN), 5);
    });

    test('gradcheck insists on float64', () => {
      expect(() => gradcheck((t) => t.exp(), [ones([2], { requiresGrad: true })])).toThrow('need float64');
    });
  });

  describe('gradient accumulation', () => {
    test('keeps a gradient marked unshared as .grad, once, and copies any other', () => {
      const a = tensor([1, 2], { requiresGrad: true });
      const b = tensor([3, 4], { requiresGrad: true });
      const c = tensor([5, 6], { requiresGrad: true });
      const fresh = tensor([0.5, 0.25]);
      accumulateInto(a, unsharedGradient(fresh));
      expect(a.grad).toBe(fresh);
      // The same tensor reaching a second leaf is no longer unshared: b gets a copy.
      accumulateInto(b, fresh);
      expect(b.grad).not.toBe(fresh);
      b.grad?.mul_(2);
      expect(a.grad?.toArray()).toEqual([0.5, 0.25]);
      const plain = tensor([1, 1]);
      accumulateInto(c, plain);
      expect(c.grad).not.toBe(plain);
    });

    test('a linear layer over two backward passes accumulates the sum in the first .grad', () => {
      const x = tensor([[1, 2, 3], [4, 5, 6]]);
      const w = tensor([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], { requiresGrad: true });
      const bias = tensor([0.5, -0.5], { requiresGrad: true });
      linear(x, w, bias).sum().backward();
      const first = w.grad;
      expect(first?.toArray()).toEqual([[5, 7, 9], [5, 7, 9]]);
      linear(x, w, bias).sum().backward();
      expect(w.grad).toBe(first);
      expect(w.grad?.toArray()).toEqual([[10, 14, 18], [10, 14, 18]]);
      expect(bias.grad?.toArray()).toEqual([4, 4]);
    });
  });
});
