import type { Tensor } from '../tensor/tensor';
import { accumulateInto, gradientEdge, unsharedGradient } from './accumulateGrad';
import { noGrad } from './gradMode';
import type { Node } from './node';

/**
 * Backpropagates `grads` from `roots` through the graph. Nodes run once each, in reverse
 * topological order found by counting dependencies (Kahn's algorithm), with explicit stacks
 * so graphs of any depth are safe.
 */
export function runBackward(roots: readonly Tensor[], grads: readonly Tensor[], retainGraph: boolean): void {
  const rootEdges = roots.map(gradientEdge);
  const dependencies = new Map<Node, number>();
  const seen = new Set<Node>();
  const stack: Node[] = [];
  for (const e of rootEdges) {
    if (!seen.has(e.node)) {
      seen.add(e.node);
      stack.push(e.node);
    }
  }
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    for (const e of node.next) {
      if (e === null) continue;
      dependencies.set(e.node, (dependencies.get(e.node) ?? 0) + 1);
      if (!seen.has(e.node)) {
        seen.add(e.node);
        stack.push(e.node);
      }
    }
  }

  const buffers = new Map<Node, (Tensor | null)[]>();
  const accumulate = (node: Node, index: number, g: Tensor): void => {
    let buffer = buffers.get(node);
    if (buffer === undefined) {
      buffer = new Array<Tensor | null>(node.numOutputs).fill(null);
      buffers.set(node, buffer);
    }
    const previous = buffer[index];
    // A sum is a fresh tensor nothing else holds, so a leaf may keep it as its .grad.
    buffer[index] = previous === null ? g : unsharedGradient(previous.add(g));
  };

  noGrad(() => {
    rootEdges.forEach((e, i) => accumulate(e.node, e.index, grads[i]));
    const ready = [...new Set(rootEdges.map((e) => e.node))].filter((n) => !dependencies.has(n));
    while (ready.length > 0) {
      const node = ready.pop() as Node;
      const gradOutputs = buffers.get(node) ?? new Array<Tensor | null>(node.numOutputs).fill(null);
      buffers.delete(node);
      for (const [index, t] of node.retained) {
        const g = gradOutputs[index];
        if (g !== null) accumulateInto(t, g);
      }
      const gradInputs = node.apply(gradOutputs, retainGraph);
      node.next.forEach((e, i) => {
        if (e === null) return;
        const g = gradInputs[i];
        if (g !== null && g !== undefined) accumulate(e.node, e.index, g);
        const left = (dependencies.get(e.node) as number) - 1;
        dependencies.set(e.node, left);
        if (left === 0) ready.push(e.node);
      });
    }
  });
}
