import type { Tensor } from '@wick/core';
import { Module } from '../module';

/** A module that maps a tensor to a tensor: what Sequential chains. */
export type TensorModule = Module<[Tensor], Tensor>;

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

  /** How many modules it holds. */
  get length(): number {
    return this.children().length;
  }

  /** The module at index (negative counts from the end). */
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

  /** How many modules it holds. */
  get length(): number {
    return this.children().length;
  }

  /** Adds a module at the end, named by its position. */
  append(module: M): this {
    this.registerModule(String(this.length), module);
    return this;
  }

  /** The module at index (negative counts from the end). */
  at(index: number): M {
    return childAt(this, index) as M;
  }

  /** The modules in order. */
  [Symbol.iterator](): Iterator<M> {
    return (this.children() as M[])[Symbol.iterator]();
  }

  forward(): never {
    throw new Error('ModuleList is a container and has no forward(); iterate over it in your own forward');
  }
}

/** Holds submodules by name, in insertion order, as torch.nn.ModuleDict; it has no forward of its own. */
export class ModuleDict<M extends Module = Module> extends Module {
  constructor(modules: Record<string, M> | Iterable<[string, M]> = {}) {
    super();
    const entries = Symbol.iterator in modules ? [...(modules as Iterable<[string, M]>)] : Object.entries(modules as Record<string, M>);
    for (const [name, m] of entries) this.set(name, m);
  }

  /** How many modules it holds. */
  get size(): number {
    return this.children().length;
  }

  /** Adds or replaces the module under `name` (torch's d[name] = module). */
  set(name: string, module: M): this {
    if (!(module instanceof Module)) throw new Error(`ModuleDict: '${name}' must be a Module, got ${typeof module}`);
    this.registerModule(name, module);
    return this;
  }

  /** The module under `name`, or an error listing the names held. */
  get(name: string): M {
    const found = this.namedChildren().find(([n]) => n === name);
    if (found === undefined) throw new Error(`ModuleDict: no module named '${name}' (has: ${this.keys().join(', ')})`);
    return found[1] as M;
  }

  /** Whether a module is held under name. */
  has(name: string): boolean {
    return this.namedChildren().some(([n]) => n === name);
  }

  /** The names, in insertion order. */
  keys(): string[] {
    return this.namedChildren().map(([n]) => n);
  }

  /** The modules, in insertion order. */
  values(): M[] {
    return this.children() as M[];
  }

  /** The names with their modules, in insertion order. */
  entries(): [string, M][] {
    return this.namedChildren() as [string, M][];
  }

  forward(): never {
    throw new Error('ModuleDict is a container and has no forward(); look modules up in your own forward');
  }
}
