import type { Tensor } from '../tensor/tensor';

/** Where a gradient flows next: output `index` of `node`. */
export interface Edge {
  readonly node: Node;
  readonly index: number;
}

/** A vertex of the backward graph: turns gradients of its outputs into gradients of its inputs. */
export abstract class Node {
  /** One edge per input of the op (null where the input needs no gradient). */
  abstract readonly next: readonly (Edge | null)[];
  abstract readonly numOutputs: number;
  abstract readonly name: string;
  /** Non-leaf tensors that asked for retainGrad(), by output index. */
  readonly retained = new Map<number, Tensor>();

  /** Gradients of the inputs, given gradients of the outputs (null where none arrived). */
  abstract apply(gradOutputs: (Tensor | null)[], retainGraph: boolean): (Tensor | null)[];

  toString(): string {
    return `<${this.name}>`;
  }
}
