import { cat, checkOptions, formatShape, noGrad, sameShape, Tensor, trace } from '@wick/core';
import type { Module } from '../module';
import { writeFileAtomic } from '../serialization';
import { GraphBuilder, ONNX_TYPE, Unsupported, type ConstantData } from './graph';
import { encodeModel, type ValueInfoMessage } from './proto';
import { SIZE_FOLLOWING_OPS, SYMBOLIC } from './symbolic';

/** Options of exportModel, as torch.onnx.export's keyword arguments. */
export interface ExportOptions {
  /** Also write the model to this path (atomically: a failed write leaves any old file whole; Node only). */
  file?: string;
  /** The graph inputs' names, one per example input (default `input`, or `input_0`, `input_1`, ...). */
  inputNames?: readonly string[];
  /** The graph outputs' names, one per output tensor (default `output`, or `output_0`, ...). */
  outputNames?: readonly string[];
  /**
   * The axes that vary, by input or output name: `{ input: { 0: 'batch' }, output: { 0: 'batch' } }`.
   * Every other input axis is fixed at the example's size. Output axes that vary and are not
   * named here get a name of their own, as torch names them.
   */
  dynamicAxes?: Readonly<Record<string, Readonly<Record<number, string>>>>;
  /** The ONNX opset: 17 (the default, and the one PyTorch 1.13 writes); the file is ONNX IR version 8. */
  opsetVersion?: number;
  /** Replace what depends on weights and constants only by its value (default true). */
  doConstantFolding?: boolean;
}

const OPSET = 17;
const IR_VERSION = 8;
const PREFIX = 'onnx.exportModel';

/** One op call of a trace, with where it was made and the constants it read. */
interface Recorded {
  readonly op: string;
  readonly args: readonly unknown[];
  readonly outputs: readonly Tensor[];
  /** The path of the module whose forward made the call ('' for the model itself). */
  readonly path: string;
  /** Whether an input of the model flows into it. */
  readonly dependsOnInputs: boolean;
  /** Each tensor argument that is neither a value of the graph nor a weight, as it was when read. */
  readonly constants: ReadonlyMap<Tensor, ConstantData>;
  /** With folding, the outputs' values of a call that depends on no input. */
  readonly folded: readonly ConstantData[] | null;
}

/** The tensors in an argument or result: itself, or those in an array or a plain options object. */
function tensorsIn(value: unknown): Tensor[] {
  if (value instanceof Tensor) return [value];
  if (Array.isArray(value)) return value.flatMap(tensorsIn);
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value).flatMap(tensorsIn);
  }
  return [];
}

/** A tensor's values now (a copy: later in-place writes do not change it). */
function snapshot(t: Tensor): ConstantData {
  return { dtype: t.dtype, shape: t.shape, data: t.dataSync().slice() };
}

/** Whether two constants are the same tensor value (NaN equal to NaN). */
function sameConstant(a: ConstantData, b: ConstantData): boolean {
  if (a.dtype !== b.dtype || !sameShape(a.shape, b.shape)) return false;
  for (let i = 0; i < a.data.length; i++) if (!Object.is(a.data[i], b.data[i])) return false;
  return true;
}

/** An argument list with every tensor replaced by its place, to compare what else two calls were given. */
function argumentsWithoutTensors(args: readonly unknown[]): string {
  return JSON.stringify(args, (_, v: unknown) => (v instanceof Tensor ? '<tensor>' : v));
}

function defaultNames(base: string, count: number): string[] {
  return count === 1 ? [base] : Array.from({ length: count }, (_, i) => `${base}_${i}`);
}

function checkNames(kind: string, names: readonly string[], count: number): void {
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || n === '')) {
    throw new Error(`${PREFIX}: ${kind} must be an array of non-empty strings, got ${JSON.stringify(names)}`);
  }
  if (names.length !== count) throw new Error(`${PREFIX}: ${kind} names ${names.length} values (${names.join(', ')}) but there are ${count}`);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined) throw new Error(`${PREFIX}: ${kind} repeats '${repeated}'`);
}

/** Checks one entry of dynamicAxes: integer axes within the tensor's rank, named by non-empty strings. */
function checkAxes(name: string, axes: Readonly<Record<number, string>>, rank: number): Map<number, string> {
  if (typeof axes !== 'object' || axes === null || Array.isArray(axes)) {
    throw new Error(`${PREFIX}: dynamicAxes.${name} must map axes to names, such as { 0: 'batch' }, got ${JSON.stringify(axes)}`);
  }
  const out = new Map<number, string>();
  for (const [key, label] of Object.entries(axes)) {
    const axis = Number(key);
    if (!Number.isInteger(axis) || axis < 0 || axis >= rank) {
      throw new Error(`${PREFIX}: dynamicAxes.${name} names axis ${key}, but '${name}' has ${rank} axes (0 to ${rank - 1})`);
    }
    if (typeof label !== 'string' || label === '') throw new Error(`${PREFIX}: dynamicAxes.${name}[${key}] must be a non-empty name, got ${JSON.stringify(label)}`);
    out.set(axis, label);
  }
  return out;
}

/** `x` one longer along each axis, repeating its first slice: inputs the model accepts if it accepts x. */
function lengthened(x: Tensor, axes: Iterable<number>, name: string): Tensor {
  let out = x;
  for (const axis of axes) {
    if (out.shape[axis] === 0) throw new Error(`${PREFIX}: input '${name}' has size 0 along its dynamic axis ${axis}; give an example with at least one element there`);
    out = cat([out, out.narrow(axis, 0, 1)], axis);
  }
  return out;
}

/** The callable form of a module's forward, whatever its declared parameters. */
type Forward = (...inputs: unknown[]) => unknown;

/**
 * Runs `fn` with every submodule's forward noting its path on `stack`, so each traced call knows
 * the module that made it (torch's tracer keeps the same scopes); the forwards are restored after.
 */
function withModulePaths<R>(model: Module, stack: string[], fn: () => R): R {
  const restore: (() => void)[] = [];
  for (const [path, module] of model.namedModules()) {
    const own = Object.getOwnPropertyDescriptor(module, 'forward');
    const forward = module.forward as unknown as Forward;
    const scoped: Forward = (...inputs) => {
      stack.push(path);
      try {
        return forward.apply(module, inputs);
      } finally {
        stack.pop();
      }
    };
    Object.defineProperty(module, 'forward', { value: scoped, writable: true, configurable: true });
    restore.push(() => (own === undefined ? delete (module as { forward?: unknown }).forward : Object.defineProperty(module, 'forward', own)));
  }
  try {
    return fn();
  } finally {
    restore.forEach((r) => r());
  }
}

/**
 * Exports a model to ONNX, as torch.onnx.export: runs `forward` once on the example inputs (in
 * eval mode, without gradients) recording the ops it calls, maps each to ONNX nodes, and returns
 * the model's bytes (ONNX IR version 8, opset 17), also writing them to `file` when given.
 * Parameters and buffers become initializers under their state-dict names (`fc1.weight`).
 *
 * With dynamicAxes, forward runs a second time on inputs one longer along those axes, so every
 * size that follows them is exported as varying; what cannot (a constant whose shape follows the
 * batch, an op that is given different numbers) is refused. An op with no ONNX form is refused
 * with an error naming it and the module that called it (`conv2.forward -> myOp`), before any
 * file is written.
 *
 *   const bytes = onnx.exportModel(model, [tensor(x)], {
 *     file: 'model.onnx', inputNames: ['input'], outputNames: ['output'],
 *     dynamicAxes: { input: { 0: 'batch' }, output: { 0: 'batch' } },
 *   });
 */
export function exportModel(model: Module, args: readonly Tensor[], options: ExportOptions = {}): Uint8Array {
  checkOptions(PREFIX, options, ['file', 'inputNames', 'outputNames', 'dynamicAxes', 'opsetVersion', 'doConstantFolding']);
  if (!Array.isArray(args) || args.some((a) => !(a instanceof Tensor))) {
    throw new Error(`${PREFIX}: args must be an array of the example tensors forward takes, such as [x]`);
  }
  const { file, dynamicAxes = {}, opsetVersion = OPSET, doConstantFolding = true } = options;
  if (opsetVersion !== OPSET) throw new Error(`${PREFIX}: opsetVersion ${opsetVersion} is not supported: Wick writes opset ${OPSET} (ONNX IR version ${IR_VERSION}), as PyTorch 1.13 does by default`);
  if (file !== undefined && (typeof file !== 'string' || file === '')) throw new Error(`${PREFIX}: file must be a path, got ${JSON.stringify(file)}`);
  const inputNames = options.inputNames ?? defaultNames('input', args.length);
  checkNames('inputNames', inputNames, args.length);
  if (options.outputNames !== undefined) checkNames('outputNames', options.outputNames, options.outputNames.length);
  const inputAxes = inputNames.map((name, i) => checkAxes(name, dynamicAxes[name] ?? {}, args[i].ndim));
  const dynamic = inputAxes.some((axes) => axes.size > 0);

  const weights = new Map<Tensor, string>();
  for (const [name, t] of [...model.namedParameters(), ...model.namedBuffers()]) if (!weights.has(t)) weights.set(t, name);
  const modes = model.modules().map((m) => [m, m.training] as const);
  model.eval();
  try {
    return noGrad(() => {
      const first = record(model, args, weights, doConstantFolding);
      const resizedArgs = dynamic ? args.map((x, i) => lengthened(x, inputAxes[i].keys(), inputNames[i])) : args;
      const second = dynamic ? record(model, resizedArgs, weights, doConstantFolding) : first;
      const bytes = build(model, first, second, { args, resizedArgs, inputNames, inputAxes, weights, dynamicAxes, outputNames: options.outputNames });
      if (file !== undefined) writeFileAtomic(file, bytes);
      return bytes;
    });
  } finally {
    for (const [m, training] of modes) m.training = training;
  }
}

interface Trace {
  readonly calls: readonly Recorded[];
  readonly outputs: readonly Tensor[];
}

function where(model: Module, path: string): string {
  return path === '' ? `${model.constructor.name}.forward` : `${path}.forward`;
}

/** Runs forward under trace(), keeping each call with its module path and the constants it read. */
function record(model: Module, args: readonly Tensor[], weights: ReadonlyMap<Tensor, string>, fold: boolean): Trace {
  const stack: string[] = [];
  const computed = new Set<Tensor>(args);
  const calls: Recorded[] = [];
  const result = withModulePaths(model, stack, () =>
    trace(
      () => (model.forward as unknown as Forward)(...args),
      (call) => {
        const path = stack.at(-1) ?? '';
        const inputs = tensorsIn(call.args);
        if (call.op.endsWith('_')) {
          // An in-place write: to a constant it only changes what later calls read.
          if (computed.has(inputs[0]) || weights.has(inputs[0])) {
            throw new Error(`${PREFIX}: ${where(model, path)} -> ${call.op}: writes in place to a tensor the exported graph holds; use the out-of-place form (${call.op.slice(0, -1)})`);
          }
          return;
        }
        const outputs = tensorsIn(call.output);
        const dependsOnInputs = inputs.some((t) => computed.has(t));
        if (dependsOnInputs || !fold) outputs.forEach((t) => computed.add(t));
        const constants = new Map<Tensor, ConstantData>();
        for (const t of inputs) if (!computed.has(t) && !weights.has(t)) constants.set(t, snapshot(t));
        const folded = fold && !dependsOnInputs ? outputs.map(snapshot) : null;
        calls.push({ op: call.op, args: call.args, outputs, path, dependsOnInputs, constants, folded });
      },
    ),
  );
  const outputs = tensorsIn(result);
  if (outputs.length === 0 || (!(result instanceof Tensor) && !Array.isArray(result))) {
    throw new Error(`${PREFIX}: forward must return a tensor or an array of tensors to export, got ${result === null ? 'null' : typeof result}`);
  }
  return { calls, outputs };
}

interface Signature {
  readonly args: readonly Tensor[];
  readonly resizedArgs: readonly Tensor[];
  readonly inputNames: readonly string[];
  readonly inputAxes: readonly Map<number, string>[];
  readonly weights: ReadonlyMap<Tensor, string>;
  readonly dynamicAxes: Readonly<Record<string, Readonly<Record<number, string>>>>;
  readonly outputNames: readonly string[] | undefined;
}

/** Checks that the second trace made the same calls as the first, on the same constants and numbers. */
function compareTraces(model: Module, first: Recorded, second: Recorded): void {
  const at = `${PREFIX}: ${where(model, first.path)} -> ${first.op}`;
  if (second.op !== first.op) {
    throw new Error(`${at}: forward calls ${second.op} here instead when the dynamic axes are one longer; an exported graph is the same for every size`);
  }
  if (!SIZE_FOLLOWING_OPS.has(first.op) && argumentsWithoutTensors(first.args) !== argumentsWithoutTensors(second.args)) {
    throw new Error(`${at}: its arguments ${argumentsWithoutTensors(first.args)} become ${argumentsWithoutTensors(second.args)} when the dynamic axes are one longer, and ONNX records them as constants; compute them from tensors, or leave those axes fixed`);
  }
  const a = tensorsIn(first.args);
  const b = tensorsIn(second.args);
  a.forEach((t, i) => {
    const constant = first.constants.get(t);
    const other = second.constants.get(b[i]);
    if (constant !== undefined && (other === undefined || !sameConstant(constant, other))) {
      throw new Error(`${at}: a tensor made inside forward (shape ${formatShape(t.shape)}) changes when the dynamic axes are one longer; ONNX keeps it as a constant, so build it from the inputs with ops instead`);
    }
  });
  first.outputs.forEach((t, i) => {
    if (second.outputs[i]?.ndim !== t.ndim) throw new Error(`${at}: its result has rank ${t.ndim} for the example but not when the dynamic axes are one longer`);
  });
}

function build(model: Module, first: Trace, second: Trace, s: Signature): Uint8Array {
  const g = new GraphBuilder(s.weights);
  s.args.forEach((x, i) => {
    g.bind(x, s.inputNames[i]);
    g.setResized(x, s.resizedArgs[i].shape);
  });
  if (first.calls.length !== second.calls.length) {
    throw new Error(`${PREFIX}: forward makes ${first.calls.length} op calls for the example but ${second.calls.length} when the dynamic axes are one longer; an exported graph is the same for every size`);
  }
  first.calls.forEach((call, i) => {
    const other = second.calls[i];
    compareTraces(model, call, other);
    call.outputs.forEach((t, j) => g.setResized(t, other.outputs[j].shape));
    if (call.folded !== null) {
      call.outputs.forEach((t, j) => g.fold(t, (call.folded as ConstantData[])[j]));
      return;
    }
    g.scope = call.path === '' ? '' : `/${call.path}`;
    g.useConstants(call.constants);
    const symbolic = SYMBOLIC[call.op];
    const at = `${PREFIX}: ${where(model, call.path)} -> ${call.op}`;
    if (symbolic === undefined) {
      throw new Error(`${at}: has no ONNX mapping; exportable ops are ${Object.keys(SYMBOLIC).sort().join(', ')}`);
    }
    let names: string[];
    try {
      names = symbolic(g, call);
    } catch (e) {
      if (e instanceof Unsupported) throw new Error(`${at}: ${e.message}`, { cause: e });
      throw e;
    }
    call.outputs.forEach((t, j) => g.bind(t, names[j]));
  });

  const outputNames = s.outputNames ?? defaultNames('output', first.outputs.length);
  checkNames('outputNames', outputNames, first.outputs.length);
  for (const name of Object.keys(s.dynamicAxes)) {
    if (!s.inputNames.includes(name) && !outputNames.includes(name)) {
      throw new Error(`${PREFIX}: dynamicAxes names '${name}', which is neither an input (${s.inputNames.join(', ')}) nor an output (${outputNames.join(', ')})`);
    }
  }
  g.scope = '';
  const claimed = new Set<string>();
  const outputs: ValueInfoMessage[] = first.outputs.map((t, i) => {
    const name = outputNames[i];
    const axes = checkAxes(name, s.dynamicAxes[name] ?? {}, t.ndim);
    // The node computing the output takes its name; an input, a weight or a value already
    // output under another name goes out through an Identity node.
    const current = g.input(t);
    const [value] = g.isComputed(current) && !claimed.has(current) ? [current] : g.node('Identity', [current]);
    if (value !== name) {
      if (g.isTaken(name)) throw new Error(`${PREFIX}: output name '${name}' is already the name of an input, a weight or another value`);
      g.rename(value, name);
    }
    claimed.add(name);
    const dynamicDims = g.dynamic(t);
    const dims = t.shape.map((size, d) => axes.get(d) ?? (dynamicDims[d] ? `${name}_dynamic_axes_${d + 1}` : size));
    return { name, dataType: ONNX_TYPE[t.dtype], dims };
  });
  const inputs: ValueInfoMessage[] = s.args.map((x, i) => ({
    name: s.inputNames[i],
    dataType: ONNX_TYPE[x.dtype],
    dims: x.shape.map((size, d) => s.inputAxes[i].get(d) ?? size),
  }));
  return encodeModel({
    irVersion: IR_VERSION,
    opsetVersion: OPSET,
    producerName: 'wick',
    producerVersion: '',
    graphName: model.constructor.name,
    nodes: g.nodes,
    initializers: g.initializers,
    inputs,
    outputs,
  });
}
