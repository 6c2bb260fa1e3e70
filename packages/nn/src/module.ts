import { checkDevice, checkOptions, formatShape, isDType, isFloatingPoint, noGrad, sameShape, Tensor, zeroGrad_, type DType } from '@wick/core';
import { Parameter } from './parameter';

/** Named tensors as torch's state_dict holds them: parameters and persistent buffers under dotted paths (`fc1.weight`, `bn1.running_mean`). */
export type StateDict = Record<string, Tensor>;

/** Options of loadStateDict. */
export interface LoadStateDictOptions {
  /** Require the keys to match exactly (default true). */
  strict?: boolean;
}

/** What loadStateDict found, as torch's `_IncompatibleKeys`: keys this module has that the state lacked, and keys the state had that this module lacks (both empty when strict). */
export interface LoadStateDictResult {
  /** Keys of this module's state dict that the given state did not have. */
  missingKeys: string[];
  /** Keys of the given state that this module does not have. */
  unexpectedKeys: string[];
}

/**
 * Base class of layers and models, as torch.nn.Module. Parameters and submodules assigned as
 * fields are registered automatically in declaration order:
 *
 *   class MLP extends Module {
 *     fc1 = new Linear(784, 128);
 *     fc2 = new Linear(128, 10);
 *     forward(x: Tensor): Tensor { return this.fc2.forward(F.relu(this.fc1.forward(x))); }
 *   }
 *
 * Buffers (non-learnable state saved in stateDict) are declared with registerBuffer.
 *
 * The type parameters describe forward: `Module<[Tensor], Tensor>` is any module whose forward
 * takes a tensor and returns one, as generic training code asks for; a plain `Module` can still
 * be called (`forward(...inputs: unknown[]): unknown`).
 */
export abstract class Module<Inputs extends unknown[] = unknown[], Output = unknown> {
  /** Whether the module is in training mode (see train() and eval()). */
  training = true;
  private readonly bufferNames = new Map<string, { persistent: boolean }>();

  /** The computation, as torch's forward: called directly (`model.forward(x)`). */
  abstract forward(...inputs: Inputs): Output;

  // ---- registration -----------------------------------------------------------------------

  /** Registers a parameter (or null, a declared absence, as torch's `bias=False`) under `name`; fields holding a Parameter are registered without this call. */
  registerParameter(name: string, param: Parameter | null): void {
    this.define(name, param);
  }

  /** Registers a submodule (or null) under `name`; fields holding a Module are registered without this call. */
  registerModule(name: string, module: Module | null): void {
    this.define(name, module);
  }

  /** Registers state that is not a parameter (running statistics, class weights). */
  registerBuffer(name: string, tensor: Tensor | null, persistent = true): void {
    this.define(name, tensor);
    this.bufferNames.set(name, { persistent });
  }

  private define(name: string, value: unknown): void {
    if (name === '' || name.includes('.')) throw new Error(`Module: invalid name '${name}': names must be non-empty and contain no '.'`);
    Object.defineProperty(this, name, { value, enumerable: true, writable: true, configurable: true });
  }

  /** This module's own parameters, submodules and buffers, in registration order. */
  private members(): { params: [string, Parameter][]; modules: [string, Module][]; buffers: [string, Tensor, boolean][] } {
    const params: [string, Parameter][] = [];
    const modules: [string, Module][] = [];
    const buffers: [string, Tensor, boolean][] = [];
    for (const [name, value] of Object.entries(this)) {
      const buffer = this.bufferNames.get(name);
      if (buffer !== undefined) {
        if (value instanceof Tensor) buffers.push([name, value, buffer.persistent]);
      } else if (value instanceof Parameter) params.push([name, value]);
      else if (value instanceof Module) modules.push([name, value]);
    }
    return { params, modules, buffers };
  }

  // ---- traversal -----------------------------------------------------------------------------

  /** The direct submodules with their names, in registration order. */
  namedChildren(): [string, Module][] {
    return this.members().modules;
  }

  /** The direct submodules, in registration order. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every descendant, with dotted names ('' for this one), each once. */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const stack: [string, Module][] = [[prefix, this]];
    while (stack.length > 0) {
      const [name, module] = stack.pop() as [string, Module];
      if (seen.has(module)) continue;
      seen.add(module);
      out.push([name, module]);
      const kids = module.namedChildren();
      for (let i = kids.length - 1; i >= 0; i--) stack.push([name === '' ? kids[i][0] : `${name}.${kids[i][0]}`, kids[i][1]]);
    }
    return out;
  }

  /** This module and every submodule below it, each once, depth first. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Parameters with torch's dotted names (`fc1.weight`), each once even when shared. */
  namedParameters(prefix = '', recurse = true): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Parameter>();
    const owners: [string, Module][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [path, module] of owners) {
      for (const [name, p] of module.members().params) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([path === '' ? name : `${path}.${name}`, p]);
      }
    }
    return out;
  }

  /** The parameters, each once, in the order an optimizer takes them (torch's); with recurse false, this module's own only. */
  parameters(recurse = true): Parameter[] {
    return this.namedParameters('', recurse).map(([, p]) => p);
  }

  /** The buffers (running statistics and the like) with their dotted names; with recurse false, this module's own only. */
  namedBuffers(prefix = '', recurse = true): [string, Tensor][] {
    const owners: [string, Module][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    return owners.flatMap(([path, module]) =>
      module.members().buffers.map(([name, t]): [string, Tensor] => [path === '' ? name : `${path}.${name}`, t]),
    );
  }

  /** The buffers, each once; with recurse false, this module's own only. */
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers('', recurse).map(([, t]) => t);
  }

  /** Calls fn on every submodule (children first) and then on this one, as torch's apply. */
  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  // ---- dtype and device --------------------------------------------------------------------------

  /**
   * Converts floating-point parameters and buffers to a dtype, as torch's Module.to(dtype): each
   * converted parameter is a new Parameter in its place (shared ones stay shared), so build the
   * optimizer afterwards. A device: 'cpu' changes nothing, any other is refused.
   */
  to(target: DType | string): this {
    if (!isDType(target)) {
      checkDevice('Module.to', target);
      return this;
    }
    if (!isFloatingPoint(target)) throw new Error(`Module.to: only floating-point dtypes are supported, got ${target}`);
    const converted = new Map<Tensor, Tensor>();
    const convert = (t: Tensor, make: (t: Tensor) => Tensor): Tensor => {
      let c = converted.get(t);
      if (c === undefined) {
        c = t.dtype === target || !t.isFloatingPoint() ? t : make(t);
        converted.set(t, c);
      }
      return c;
    };
    noGrad(() => {
      for (const m of this.modules()) {
        const { params, buffers } = m.members();
        for (const [name, p] of params) m.define(name, convert(p, (t) => new Parameter(t.to(target), t.requiresGrad)));
        for (const [name, b] of buffers) m.define(name, convert(b, (t) => t.to(target)));
      }
    });
    return this;
  }

  /** Converts floating-point parameters and buffers to float64 (torch's double()). */
  double(): this {
    return this.to('float64');
  }

  /** Converts floating-point parameters and buffers to float32 (torch's float()). */
  float(): this {
    return this.to('float32');
  }

  // ---- modes and gradients ------------------------------------------------------------------------

  /** Sets training mode (true, the default) or eval mode on this module and every submodule, as torch's train(); returns this module. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Sets eval mode on this module and every submodule (dropout off, batch norm on running statistics); returns this module. */
  eval(): this {
    return this.train(false);
  }

  /** Resets the gradients of all parameters: to null (torch 2's default) or to zero. */
  zeroGrad(setToNone = true): void {
    zeroGrad_(this.parameters(), setToNone);
  }

  // ---- state ----------------------------------------------------------------------------------------

  /** Parameters and persistent buffers under torch's keys, detached (sharing storage). */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [path, module] of this.namedModules()) {
      const { params, buffers } = module.members();
      const key = (name: string) => (path === '' ? name : `${path}.${name}`);
      for (const [name, p] of params) out[key(name)] = p.detach();
      for (const [name, t, persistent] of buffers) if (persistent) out[key(name)] = t.detach();
    }
    return out;
  }

  /**
   * Copies a state dict into this module's parameters and buffers. Everything is checked first
   * (shapes always; missing and unexpected keys when strict), so a failed load changes nothing.
   */
  loadStateDict(state: StateDict, options: LoadStateDictOptions = {}): LoadStateDictResult {
    checkOptions('loadStateDict', options, ['strict']);
    const strict = options.strict ?? true;
    const own = this.stateDict();
    // Own keys only: a key like 'constructor' must not be found on a dict's prototype.
    const has = (dict: object, k: string) => Object.hasOwn(dict, k);
    const missingKeys = Object.keys(own).filter((k) => !has(state, k));
    const unexpectedKeys = Object.keys(state).filter((k) => !has(own, k));
    const problems: string[] = [];
    for (const [k, target] of Object.entries(own)) {
      if (!has(state, k)) continue;
      const src = state[k];
      if (!(src instanceof Tensor)) {
        problems.push(`${k}: expected a tensor, got ${src === null ? 'null' : typeof src}`);
        continue;
      }
      if (!sameShape(src.shape, target.shape)) {
        problems.push(`size mismatch for ${k}: copying a tensor of shape ${formatShape(src.shape)}, the shape in this module is ${formatShape(target.shape)}`);
      }
    }
    if (strict) {
      if (missingKeys.length > 0) problems.push(`Missing key(s): ${missingKeys.map((k) => `"${k}"`).join(', ')}`);
      if (unexpectedKeys.length > 0) problems.push(`Unexpected key(s): ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}`);
    }
    if (problems.length > 0) {
      throw new Error(`Error(s) in loading stateDict for ${this.constructor.name}:\n\t${problems.join('\n\t')}`);
    }
    // Every value is converted to its target's dtype before any is copied, so a value that cannot
    // be converted (NaN into int64) fails the load with nothing changed, naming its key.
    const updates = noGrad(() =>
      Object.entries(own).flatMap(([k, target]) => {
        if (!has(state, k)) return [];
        try {
          return [[target, state[k].to(target.dtype)] as const];
        } catch (e) {
          throw new Error(`Error(s) in loading stateDict for ${this.constructor.name}: ${k}: ${(e as Error).message}; nothing was loaded`, { cause: e });
        }
      }),
    );
    noGrad(() => {
      for (const [target, value] of updates) target.copy_(value);
    });
    return { missingKeys, unexpectedKeys };
  }

  // ---- printing -------------------------------------------------------------------------------------

  /** The part inside the parentheses of this module's line, as torch's extra_repr. */
  extraRepr(): string {
    return '';
  }

  /** The module tree, printed like torch's repr. */
  toString(): string {
    const kids = this.namedChildren();
    const name = this.constructor.name;
    if (kids.length === 0) return `${name}(${this.extraRepr()})`;
    const lines = kids.map(([k, m]) => `  (${k}): ${m.toString().split('\n').join('\n  ')}`);
    const extra = this.extraRepr();
    return `${name}(\n${extra ? `  ${extra}\n` : ''}${lines.join('\n')}\n)`;
  }
}
