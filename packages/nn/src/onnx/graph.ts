import type { DType, Scalar, Tensor } from '@wick/core';
import { littleEndianBytes } from '../serialization/bytes';
import { DataType, type AttributeValue, type DataTypeCode, type NodeMessage, type TensorMessage } from './proto';

/** ONNX's element type of each dtype. */
export const ONNX_TYPE: Record<DType, DataTypeCode> = {
  float32: DataType.FLOAT,
  float64: DataType.DOUBLE,
  int64: DataType.INT64,
  bool: DataType.BOOL,
};

/** A tensor's values as they were when an op read them (a constant made inside forward). */
export interface ConstantData {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

/** One op call of the trace, ready to be mapped to ONNX nodes. */
export interface OpCall {
  /** The op's public name (`conv2d`), as trace() reported it. */
  readonly op: string;
  /** The arguments as passed. */
  readonly args: readonly unknown[];
  /** The tensors it returned, in order. */
  readonly outputs: readonly Tensor[];
}

/** Attribute values, typed as ONNX types them. */
export const attr = {
  int: (value: number): AttributeValue => ({ type: 'int', value }),
  ints: (value: readonly number[]): AttributeValue => ({ type: 'ints', value }),
  float: (value: number): AttributeValue => ({ type: 'float', value }),
  string: (value: string): AttributeValue => ({ type: 'string', value }),
};

/** Thrown for a call that has no ONNX form; the exporter adds where it was called. */
export class Unsupported extends Error {}

/**
 * The graph being built: each traced tensor's value name and which of its dims vary with the
 * dynamic axes, the nodes in order, and the initializers (weights and constants).
 */
export class GraphBuilder {
  readonly nodes: { -readonly [K in keyof NodeMessage]: NodeMessage[K] }[] = [];
  readonly initializers: TensorMessage[] = [];
  /** The node-name prefix of the module whose forward made the current call (`/conv1`). */
  scope = '';
  private readonly names = new Map<Tensor, string>();
  private readonly resizedShapes = new Map<Tensor, readonly number[]>();
  private readonly constants = new Map<Tensor, ConstantData>();
  private readonly folded = new Map<Tensor, ConstantData>();
  private readonly taken = new Set<string>();

  /** `weights` names the model's parameters and buffers, added as initializers when first read. */
  constructor(private readonly weights: ReadonlyMap<Tensor, string>) {}

  /** Makes `t` the value `name`. */
  bind(t: Tensor, name: string): void {
    this.names.set(t, name);
    this.taken.add(name);
  }

  /**
   * Records `t`'s shape in the second trace, where the inputs' dynamic axes were one longer: the
   * dims that differ from its own are the ones that vary.
   */
  setResized(t: Tensor, resized: readonly number[]): void {
    this.resizedShapes.set(t, resized);
  }

  /** The constants (tensors made inside forward) the current call reads, snapshotted at the call. */
  useConstants(constants: ReadonlyMap<Tensor, ConstantData>): void {
    this.constants.clear();
    for (const [t, c] of constants) this.constants.set(t, c);
  }

  /** Makes `t`, computed from weights and constants only, a constant (constant folding). */
  fold(t: Tensor, values: ConstantData): void {
    this.folded.set(t, values);
  }

  /** The name of a tensor argument: a value, a weight or folded constant (added on first use), or a constant of this call. */
  input(t: Tensor): string {
    const name = this.names.get(t);
    if (name !== undefined) return name;
    const weight = this.weights.get(t);
    if (weight !== undefined) {
      this.bind(t, this.initializer(weight, t.dtype, t.shape, t.dataSync()));
      return weight;
    }
    const folded = this.folded.get(t);
    if (folded !== undefined) {
      const constant = this.constant(folded.dtype, folded.shape, folded.data);
      this.bind(t, constant);
      return constant;
    }
    const c = this.constants.get(t);
    if (c === undefined) throw new Error('onnx: internal error: a tensor argument was neither a value nor a recorded constant');
    return this.constant(c.dtype, c.shape, c.data);
  }

  /** Renames a value everywhere it appears (a graph output takes the name the user gave it). */
  rename(from: string, to: string): void {
    for (const n of this.nodes) {
      n.inputs = n.inputs.map((i) => (i === from ? to : i));
      n.outputs = n.outputs.map((o) => (o === from ? to : o));
    }
    for (const [t, name] of this.names) if (name === from) this.names.set(t, to);
    this.taken.add(to);
  }

  /** Whether a value, initializer or node already has this name. */
  isTaken(name: string): boolean {
    return this.taken.has(name);
  }

  /** Whether some node computes the value `name` (not an input or initializer). */
  isComputed(name: string): boolean {
    return this.nodes.some((n) => n.outputs.includes(name));
  }

  /** The shape of a value in the second trace (a constant's own shape). */
  resized(t: Tensor): readonly number[] {
    return this.resizedShapes.get(t) ?? t.shape;
  }

  /** Which dims of a value vary with the dynamic axes (none for a constant). */
  dynamic(t: Tensor): boolean[] {
    const resized = this.resized(t);
    return t.shape.map((s, d) => s !== resized[d]);
  }

  /** A name no value or node has yet, `base` itself where free. */
  unique(base: string): string {
    let name = base;
    for (let k = 1; this.taken.has(name); k++) name = `${base}_${k}`;
    this.taken.add(name);
    return name;
  }

  /** Adds a node in the current scope; returns its outputs' names. */
  node(opType: string, inputs: readonly string[], attributes: Readonly<Record<string, AttributeValue>> = {}, outputs = 1): string[] {
    const name = this.unique(`${this.scope}/${opType}`);
    const outs = Array.from({ length: outputs }, (_, i) => this.unique(`${name}_output_${i}`));
    this.nodes.push({ name, opType, inputs, outputs: outs, attributes });
    return outs;
  }

  /** Adds an initializer named `name` holding data. */
  initializer(name: string, dtype: DType, shape: readonly number[], data: ArrayLike<number>): string {
    this.taken.add(name);
    this.initializers.push({ name, dims: shape, dataType: ONNX_TYPE[dtype], raw: littleEndianBytes(dtype, data) });
    return name;
  }

  /** A constant initializer in the current scope. */
  constant(dtype: DType, shape: readonly number[], data: ArrayLike<number>): string {
    return this.initializer(this.unique(`${this.scope}/Constant_output_0`), dtype, shape, data);
  }

  /** A 1-D int64 constant: axes, shapes, slice bounds. */
  ints(values: readonly number[]): string {
    return this.constant('int64', [values.length], values);
  }

  /** A zero-dim constant of dtype. */
  scalar(value: Scalar, dtype: DType): string {
    return this.constant(dtype, [], [Number(value)]);
  }

  /** `name` (of dtype `from`) as dtype `to`: itself, or through a Cast node. */
  cast(name: string, from: DType, to: DType): string {
    return from === to ? name : this.node('Cast', [name], { to: attr.int(ONNX_TYPE[to]) })[0];
  }

  /** A tensor or number operand in dtype: the tensor cast if it must be, the number as a constant. */
  operand(x: Tensor | Scalar, dtype: DType): string {
    return typeof x === 'object' ? this.cast(this.input(x), x.dtype, dtype) : this.scalar(x, dtype);
  }
}

/** Refuses a call: `problem` says what has no ONNX form and what to do instead. */
export function unsupported(problem: string): never {
  throw new Unsupported(problem);
}

/** dim in [0, rank), as ONNX's Transpose needs and as every mapping keeps for clarity. */
export function normalizeDim(dim: number, rank: number): number {
  const d = dim < 0 ? dim + rank : dim;
  if (d < 0 || d >= Math.max(rank, 1)) throw new Unsupported(`dim ${dim} is out of range for a tensor of rank ${rank}`);
  return d;
}
