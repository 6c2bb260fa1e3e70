import type { Tensor } from '@wick/core';
import { Module } from '../module';

/** A module that maps a tensor to a tensor: what Sequential chains. */
export type TensorModule = Module & { forward(input: Tensor): Tensor };

/** The index-th child (negative counts from the end), or an error naming the container. */
function childAt(container: Module, index: number): Module {
  const kids = container.children();
  const i = index < 0 ? index + kids.length : index;
  if (!Number.isInteger(i) || i < 0 || i >= kids.length) {
    throw new Error(`${container.constructor.name}: index ${index} is out of range for ${kids.length} modules`);
  }
  return kids[i];
}

/** Runs its modules in order, each on the previous one's output; they are named 0, 1, 2, ... */
export class Sequential extends Module {
  constructor(...modules: TensorModule[]) {
    super();
    modules.forEach((m, i) => this.registerModule(String(i), m));
  }

  get length(): number {
    return this.children().length;
  }

  at(index: number): TensorModule {
    return childAt(this, index) as TensorModule;
  }

  forward(input: Tensor): Tensor {
    return (this.children() as TensorModule[]).reduce((x, m) => m.forward(x), input);
  }
}

/** Holds submodules in a list, registered as 0, 1, 2, ...; it has no forward of its own. */
export class ModuleList<M extends Module = Module> extends Module {
  constructor(modules: readonly M[] = []) {
    super();
    modules.forEach((m) => this.append(m));
  }

  get length(): number {
    return this.children().length;
  }

  append(module: M): this {
    this.registerModule(String(this.length), module);
    return this;
  }

  at(index: number): M {
    return childAt(this, index) as M;
  }

  [Symbol.iterator](): Iterator<M> {
    return (this.children() as M[])[Symbol.iterator]();
  }

  forward(): never {
    throw new Error('ModuleList is a container and has no forward(); iterate over it in your own forward');
  }
}
