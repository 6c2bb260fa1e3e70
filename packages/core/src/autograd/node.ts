import type { Tensor } from '../tensor/tensor';

/** Where a gradient flows next: output `index` of `node`. */
export interface Edge {
  /** The node the gradient flows to. */
  readonly node: Node;
  /** Which of the node's outputs the gradient is for. */
  readonly index: number;
}

/** A vertex of the backward graph: turns gradients of its outputs into gradients of its inputs. */
export abstract class Node {
  /** One edge per input of the op (null where the input needs no gradient). */
  abstract readonly next: readonly (Edge | null)[];
  /** How many outputs the op that made this node had. */
  abstract readonly numOutputs: number;
  /** The node's name as torch prints grad_fn (`MulBackward`). */
  abstract readonly name: string;
  /** Non-leaf tensors that asked for retainGrad(), by output index. */
  readonly retained = new Map<number, Tensor>();

  /** Gradients of the inputs, given gradients of the outputs (null where none arrived). */
  abstract apply(gradOutputs: (Tensor | null)[], retainGraph: boolean): (Tensor | null)[];

  /** `<MulBackward>`, as torch prints a grad_fn. */
  toString(): string {
    return `<${this.name}>`;
  }
}
