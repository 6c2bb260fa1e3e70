import { checkOptions, formatShape, sameShape, zeroGrad_, zerosLike, type Tensor } from '@wick/core';

/** A group of parameters with its own options (any option left out takes the optimizer's default). */
export type ParamGroupInput<O> = {
  /** The parameters of the group. */
  params: Iterable<Tensor>;
} & Partial<O>;
/** A group as the optimizer holds it: every option set; schedulers change `lr` here. */
export type ParamGroup<O> = {
  /** The parameters of the group. */
  params: Tensor[];
} & O;
/** Per-parameter state: tensors (momentum buffers, moments) and numbers (step counts). */
export type ParamState = Record<string, Tensor | number>;

/**
 * An optimizer's state in torch's layout, so it maps one to one onto torch's
 * `optimizer.state_dict()`: `state` by parameter index (the order of parameters over all groups)
 * with torch's names (`exp_avg`, `exp_avg_sq`, `momentum_buffer`, `step`, ...), and
 * `param_groups` with each group's options under torch's names (`lr`, `weight_decay`, ...) and its
 * parameters' indices.
 */
export interface OptimizerStateDict {
  /** Each parameter's state, by its index across the groups. */
  state: Record<number, ParamState>;
  /** Each group's options, with `params` listing its parameters' indices. */
  param_groups: ({
    /** The group's parameters, by index across the groups. */
    params: number[];
  } & Record<string, unknown>)[];
}

/** torch's snake_case name of a Wick option (weightDecay -> weight_decay). */
const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** Wick's camelCase name of a torch option (weight_decay -> weightDecay). */
const camelCase = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Base of the optimizers, as torch.optim.Optimizer: parameter groups with options, per-parameter
 * state, zeroGrad, and a state dict that refers to parameters by index.
 */
export abstract class Optimizer<O extends object = object> {
  /** The parameter groups with their options (torch's `param_groups`); changing a group's `lr` takes effect at the next step. */
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Each parameter's state (moments, momentum buffers, step counts), created at its first step. */
  readonly state = new Map<Tensor, ParamState>();

  /** The options every group starts from: the optimizer's defaults with those given. */
  readonly defaults: O;

  /**
   * `defaults` are the optimizer's own (every option it has), `options` those given, which may
   * name no other option: unknown keys are refused, in the options and in each parameter group.
   */
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<O>>, defaults: O, options: Partial<O> = {}) {
    checkOptions<Partial<O>>(this.constructor.name, options, Object.keys(defaults) as (keyof O & string)[]);
    this.defaults = { ...defaults, ...options };
    const list = [...params] as (Tensor | ParamGroupInput<O>)[];
    if (list.length === 0) throw new Error(`${this.constructor.name}: got an empty parameter list`);
    const groups = list.every((p) => 'params' in p && !('shape' in p))
      ? (list as ParamGroupInput<O>[])
      : [{ params: list as Tensor[] } as unknown as ParamGroupInput<O>];
    for (const g of groups) this.addParamGroup(g);
  }

  /** Adds a parameter group, its missing options taken from the defaults, as torch's add_param_group; a parameter already in a group is refused. */
  addParamGroup(group: ParamGroupInput<O>): void {
    checkOptions(`${this.constructor.name} parameter group`, group, ['params', ...(Object.keys(this.defaults) as (keyof O & string)[])]);
    const params = [...group.params];
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    params.forEach((p, i) => {
      if (!p.isLeaf) throw new Error(`${this.constructor.name}: can't optimize a non-leaf tensor (parameter ${i})`);
      if (!p.isFloatingPoint()) throw new Error(`${this.constructor.name}: parameter ${i} is ${p.dtype}; only floating-point tensors can be optimized`);
      if (!p.isContiguous()) throw new Error(`${this.constructor.name}: parameter ${i} of shape ${formatShape(p.shape)} is not contiguous`);
      if (seen.has(p)) throw new Error(`${this.constructor.name}: some parameters appear in more than one parameter group`);
    });
    const full = { ...this.defaults, ...group, params } as ParamGroup<O>;
    this.validate(full);
    this.paramGroups.push(full);
  }

  /** Checks a group's options, throwing a clear error before anything changes. */
  protected abstract validate(group: ParamGroup<O>): void;

  /** Updates every parameter that has a gradient, once. */
  abstract step(): void;

  /** Resets the gradients of every parameter: to null (torch 2's default) or to zero. */
  zeroGrad(setToNone = true): void {
    zeroGrad_(this.paramGroups.flatMap((g) => g.params), setToNone);
  }

  /** The parameter's state, created on first use. */
  protected stateOf(p: Tensor): ParamState {
    let s = this.state.get(p);
    if (s === undefined) {
      s = {};
      this.state.set(p, s);
    }
    return s;
  }

  /** A zero-filled state tensor shaped like p, kept in the state under `name`. */
  protected buffer(state: ParamState, name: string, like: Tensor): Tensor {
    let t = state[name];
    if (t === undefined) {
      t = zerosLike(like);
      state[name] = t;
    }
    return t as Tensor;
  }

  /** The state and options in torch's layout (see OptimizerStateDict); tensors are copies. */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((g) => {
      const { params, ...options } = g;
      const named = Object.fromEntries(Object.entries(options).map(([k, v]) => [snakeCase(k), v]));
      return { ...named, params: params.map((p) => index.set(p, index.size).get(p) as number) };
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, typeof v === 'number' ? v : v.clone()]));
    }
    return { state, param_groups: paramGroups };
  }

  /**
   * Restores options and state saved by stateDict() (or mapped from torch's) into an optimizer
   * over the same parameters; everything is checked before anything changes.
   */
  loadStateDict(dict: OptimizerStateDict): void {
    const groups = dict.param_groups;
    if (!Array.isArray(groups) || groups.length !== this.paramGroups.length) {
      throw new Error(`${this.constructor.name}: loaded state dict has ${Array.isArray(groups) ? groups.length : 'no'} parameter groups, this optimizer has ${this.paramGroups.length}`);
    }
    const known = Object.keys(this.defaults);
    const options = groups.map((g) =>
      Object.fromEntries(
        Object.entries(g)
          .filter(([k]) => k !== 'params')
          .map(([k, v]) => {
            if (!known.includes(camelCase(k))) throw new Error(`${this.constructor.name}: the loaded state dict's parameter groups have an unknown option '${k}'`);
            return [camelCase(k), v];
          }),
      ),
    );
    groups.forEach((g, i) => {
      if (g.params.length !== this.paramGroups[i].params.length) {
        throw new Error(`${this.constructor.name}: group ${i} of the loaded state dict has ${g.params.length} parameters, this optimizer's has ${this.paramGroups[i].params.length}`);
      }
    });
    const params = this.paramGroups.flatMap((g) => g.params);
    for (const [k, s] of Object.entries(dict.state)) {
      const p = params[Number(k)];
      if (p === undefined) {
        throw new Error(`${this.constructor.name}: the loaded state dict has state for parameter ${k}, but this optimizer has ${params.length} parameters`);
      }
      for (const v of Object.values(s)) {
        if (typeof v !== 'number' && !sameShape(v.shape, p.shape)) {
          throw new Error(`${this.constructor.name}: state for parameter ${k} has shape ${formatShape(v.shape)}, the parameter has ${formatShape(p.shape)}`);
        }
      }
    }
    options.forEach((o, i) => Object.assign(this.paramGroups[i], o));
    this.state.clear();
    for (const [k, s] of Object.entries(dict.state)) {
      const p = params[Number(k)];
      this.state.set(p, Object.fromEntries(Object.entries(s).map(([name, v]) => [name, typeof v === 'number' ? v : v.to(p.dtype).clone()])));
    }
  }
}
