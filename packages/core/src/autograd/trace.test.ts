import { Context, Function, linear, logsumexp, noGrad, randn, trace, zeros, type Tensor, type TracedCall } from '../index';

function calls(fn: () => unknown): TracedCall[] {
  const seen: TracedCall[] = [];
  trace(fn, (call) => seen.push(call));
  return seen;
}

class Twice extends Function {
  static forward(_ctx: Context, x: Tensor): Tensor {
    return x.mul(2);
  }
  static backward(_ctx: Context, g: Tensor): Tensor {
    return g.mul(2);
  }
}

describe('trace', () => {
  test('reports each public op once, with its arguments and result, and not the ops inside it', () => {
    const x = randn([2, 3]);
    const w = randn([4, 3]);
    let y: Tensor | null = null;
    const seen = calls(() => {
      y = linear(x, w).relu();
      return logsumexp(y, 1);
    });
    expect(seen.map((c) => c.op)).toEqual(['linear', 'relu', 'logsumexp']);
    expect(seen[0].args).toEqual([x, w]);
    expect(seen[1].output).toBe(y);
    expect(seen[2].args[1]).toBe(1);
  });

  test('a Function applied by user code is reported under its class name; in-place writes and detach are reported', () => {
    const x = randn([3]);
    const seen = calls(() => noGrad(() => Twice.apply(x).detach().add_(1)));
    expect(seen.map((c) => c.op)).toEqual(['Twice', 'detach', 'add_']);
    expect(seen[2].args[1]).toBe(1);
    expect(seen[2].output).toBe(seen[1].output);
  });

  test('nothing is reported outside a trace; traces do not nest, and a failing one ends', () => {
    expect(() => trace(() => trace(() => 0, () => undefined), () => undefined)).toThrow('trace: a trace is already running');
    expect(() => trace(() => zeros([2]).reshape(3), () => undefined)).toThrow();
    const seen: string[] = [];
    trace(() => randn([2]).exp(), (c) => seen.push(c.op));
    expect(seen).toEqual(['exp']);
  });
});
