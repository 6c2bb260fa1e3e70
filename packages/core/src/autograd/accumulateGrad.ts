import { Tensor } from '../tensor/tensor';
import { Edge, Node } from './node';

/** The sink of a leaf: adds incoming gradients into leaf.grad. */
export class AccumulateGrad extends Node {
  readonly name = 'AccumulateGrad';
  readonly numOutputs = 1;
  readonly next: readonly (Edge | null)[] = [];

  constructor(readonly variable: Tensor) {
    super();
  }

  apply(gradOutputs: (Tensor | null)[]): (Tensor | null)[] {
    const g = gradOutputs[0];
    if (g === null) return [];
    accumulateInto(this.variable, g);
    return [];
  }
}

/** Gradients a backward has just allocated and holds no other reference to. */
const unshared = new WeakSet<Tensor>();

/**
 * Marks g, fresh from a backward and referenced nowhere else, as one the first accumulation
 * may keep as .grad instead of copying (torch keeps a gradient whose use count is 1).
 */
export function unsharedGradient(g: Tensor): Tensor {
  unshared.add(g);
  return g;
}

/** Adds g into t.grad, for leaves and for non-leaves that retain their gradient. */
export function accumulateInto(t: Tensor, g: Tensor): void {
  const grad = t.peekGrad();
  if (grad === null) {
    // Any other first gradient is copied: backward may hand one tensor to several tensors.
    // (slice() copies without first zero-filling, unlike allocating and then copying.)
    t.adoptGrad(unshared.delete(g) ? g : Tensor.fromStorage(g.dataSync().slice(), g.shape, g.dtype));
  } else grad.add_(g);
}

const accumulators = new WeakMap<Tensor, AccumulateGrad>();

/** The edge along which a gradient reaches tensor t. */
export function gradientEdge(t: Tensor): Edge {
  if (t.gradFn !== null) return { node: t.gradFn, index: t.outputNr };
  let acc = accumulators.get(t);
  if (acc === undefined) {
    acc = new AccumulateGrad(t);
    accumulators.set(t, acc);
  }
  return { node: acc, index: 0 };
}
