import { Tensor } from '../tensor/tensor';
import { Context } from './context';
import { isGradEnabled, noGrad } from './gradMode';
import { Edge, Node } from './node';
import { gradientEdge } from './accumulateGrad';
import { zeros } from '../tensor/creation';
import { formatShape, sameShape } from '../shape';
import { traceCall } from './trace';

/** What backward returns: one gradient per forward argument (null for non-tensors or no gradient). */
export type Gradients = Tensor | null | readonly (Tensor | null)[];

interface FunctionClass<A extends unknown[], R extends Tensor | Tensor[]> {
  readonly name: string;
  forward(ctx: Context, ...args: A): R;
  backward(ctx: Context, ...gradOutputs: Tensor[]): Gradients;
}

interface OutputMeta {
  readonly shape: readonly number[];
  readonly dtype: Tensor['dtype'];
}

class FunctionNode extends Node {
  readonly name: string;
  readonly numOutputs: number;

  constructor(
    private readonly fn: FunctionClass<unknown[], Tensor | Tensor[]>,
    private readonly ctx: Context,
    readonly next: readonly (Edge | null)[],
    private readonly inputs: readonly ({ shape: readonly number[]; dtype: Tensor['dtype'] } | null)[],
    private readonly outputs: readonly OutputMeta[],
  ) {
    super();
    this.name = `${fn.name}Backward`;
    this.numOutputs = outputs.length;
  }

  apply(gradOutputs: (Tensor | null)[], retainGraph: boolean): (Tensor | null)[] {
    this.ctx.assertNotReleased();
    // Outputs that received no gradient contribute zeros, as torch materialises them.
    const grads = this.outputs.map(
      (o, i) => gradOutputs[i] ?? zeros(o.shape, { dtype: o.dtype }),
    );
    const raw = this.fn.backward(this.ctx, ...grads);
    if (!retainGraph) this.ctx.release();
    const list = Array.isArray(raw) ? (raw as readonly (Tensor | null)[]) : [raw as Tensor | null];
    return this.inputs.map((input, i) => {
      const g = list[i] ?? null;
      if (g === null || input === null || this.next[i] === null) return null;
      if (!sameShape(g.shape, input.shape)) {
        throw new Error(
          `${this.name} returned a gradient of shape ${formatShape(g.shape)} for input ${i} of shape ${formatShape(input.shape)}`,
        );
      }
      return g.dtype === input.dtype ? g : g.to(input.dtype);
    });
  }
}

/**
 * A differentiable operation with a hand-written backward, as torch.autograd.Function:
 *
 *   class Exp extends Function {
 *     static forward(ctx: Context, x: Tensor) { const y = x.exp(); ctx.saveForBackward(y); return y; }
 *     static backward(ctx: Context, g: Tensor) { const [y] = ctx.savedTensors; return g.mul(y); }
 *   }
 *   const y = Exp.apply(x);
 *
 * forward runs with gradient recording off; backward receives one gradient per output and
 * returns one per forward argument.
 */
export class Function {
  /** Computes the outputs from the arguments; runs with gradient recording off. Subclasses define it. */
  static forward(_ctx: Context, ..._args: unknown[]): Tensor | Tensor[] {
    throw new Error(`${this.name}.forward is not implemented`);
  }

  /** Given one gradient per output, returns one per forward argument (null where none). Subclasses define it. */
  static backward(_ctx: Context, ..._gradOutputs: Tensor[]): Gradients {
    throw new Error(`${this.name}.backward is not implemented`);
  }

  /** Runs forward and, when an argument requires grad, records the call so backward reaches it. */
  static apply<A extends unknown[], R extends Tensor | Tensor[]>(this: FunctionClass<A, R>, ...args: A): R {
    // A Function applied by user code (not inside a public op) is an op of its own to a trace.
    return traceCall(this.name, args, () => applyFunction(this, args));
  }
}

/** Function.apply's work: runs forward without recording and links the outputs into the graph. */
function applyFunction<A extends unknown[], R extends Tensor | Tensor[]>(fn: FunctionClass<A, R>, args: A): R {
  const needsInputGrad = args.map((a) => a instanceof Tensor && a.requiresGrad);
  const record = isGradEnabled() && needsInputGrad.includes(true);
  const ctx = new Context(record ? needsInputGrad : needsInputGrad.fill(false));
  // forward runs without recording (skipping the mode switch when recording is off already).
  const result = isGradEnabled() ? noGrad(() => fn.forward(ctx, ...args)) : fn.forward(ctx, ...args);
  const outputs = (Array.isArray(result) ? result : [result]).map((t) =>
    // An output that is an input object itself gets a fresh tensor, so the input keeps its history.
    args.includes(t) ? t.alias() : t,
  );
  if (record) {
    const node = new FunctionNode(
      fn as unknown as FunctionClass<unknown[], Tensor | Tensor[]>,
      ctx,
      args.map((a, i) => (a instanceof Tensor && needsInputGrad[i] ? gradientEdge(a) : null)),
      args.map((a) => (a instanceof Tensor ? { shape: a.shape, dtype: a.dtype } : null)),
      outputs.map((t) => ({ shape: t.shape, dtype: t.dtype })),
    );
    outputs.forEach((t, i) => {
      if (t.isFloatingPoint() && !ctx.isNonDifferentiable(t)) t.attachHistory(node, i);
    });
  }
  return (Array.isArray(result) ? outputs : outputs[0]) as R;
}
