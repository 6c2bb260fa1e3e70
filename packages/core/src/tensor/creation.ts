import { allocate, checkValue, isFloatingPoint, type DType, type Storage } from '../dtype';
import { checkShape, formatShape, numelOf } from '../shape';
import { convertTypedArray, flattenNested, inferShape, isTypedArray, typedArrayDType, type TensorData } from './data';
import { checkOptions } from '../options';
import { bernoulliOf, fillNormal, fillRandint, fillRandperm, fillUniform } from './distributions';
import { defaultGenerator, type Generator } from './random';
import { Tensor } from './tensor';

/** Options of the tensor factories. */
export interface TensorOptions {
  /** The element type (default float32; tensor() infers it from the data). */
  dtype?: DType;
  /** Whether autograd tracks the new tensor (default false). */
  requiresGrad?: boolean;
}

/** Options of tensor(): TensorOptions and the shape to give flat data. */
export interface TensorDataOptions extends TensorOptions {
  /** The shape of flat data (a typed array or a flat array); inferred from nesting otherwise. */
  shape?: readonly number[];
}

/** Options of the random factories: TensorOptions and the generator to draw from. */
export interface RandomOptions extends TensorOptions {
  /** The generator to draw from (default: the default generator, seeded by manualSeed). */
  generator?: Generator;
}

function finish(t: Tensor, options: TensorOptions): Tensor {
  if (options.requiresGrad) t.requiresGrad_(true);
  return t;
}

/**
 * Builds a tensor from nested arrays, a flat array with `shape`, or a typed array (used without
 * a copy when its type matches the dtype). Plain JS numbers default to float32 (JavaScript cannot
 * tell 1 from 1.0); ask for `dtype: 'int64'` for class indices. Booleans default to bool.
 */
export function tensor(data: TensorData, options: TensorDataOptions = {}): Tensor {
  checkOptions('tensor', options, ['dtype', 'requiresGrad', 'shape']);
  let shape: readonly number[];
  let dtype: DType;
  let storage;
  if (isTypedArray(data)) {
    dtype = options.dtype ?? typedArrayDType(data);
    shape = options.shape ?? [data.length];
    const sameType =
      (dtype === 'float32' && data instanceof Float32Array) || (dtype === 'float64' && data instanceof Float64Array);
    storage = sameType ? (data as Float32Array | Float64Array) : convertTypedArray(data, dtype);
  } else {
    const nestedShape = inferShape(data);
    let first: unknown = data;
    while (Array.isArray(first) && first.length > 0) first = first[0];
    dtype = options.dtype ?? (typeof first === 'boolean' ? 'bool' : 'float32');
    storage = flattenNested(data, nestedShape, dtype);
    shape = options.shape ?? nestedShape;
    if (options.shape !== undefined && nestedShape.length > 1) {
      throw new Error('tensor: `shape` goes with flat data; nested arrays carry their own shape');
    }
  }
  checkShape('tensor', shape);
  if (numelOf(shape) !== storage.length) {
    throw new Error(`tensor: shape ${formatShape(shape)} needs ${numelOf(shape)} elements, but the data has ${storage.length}`);
  }
  return finish(Tensor.fromStorage(storage, shape, dtype), options);
}

/** A tensor of the given shape filled with value (torch.full); NaN and infinities are allowed here. */
export function full(shape: readonly number[], value: number | boolean, options: TensorOptions = {}): Tensor {
  checkOptions('full', options, ['dtype', 'requiresGrad']);
  return filled('full', shape, value, options);
}

/** full() as the named creation function (zeros, ones) builds it, errors naming that function. */
function filled(op: string, shape: readonly number[], value: number | boolean, options: TensorOptions): Tensor {
  checkShape(op, shape);
  const dtype = options.dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32');
  const v = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  checkValue(op, dtype, v);
  const data = allocate(dtype, numelOf(shape), op);
  if (v !== 0) data.fill(dtype === 'bool' ? 1 : v);
  return finish(Tensor.fromStorage(data, shape, dtype), options);
}

/**
 * A size as torch's creation functions take it, then the options: `zeros(2, 3)`, `zeros([2, 3])`,
 * `zeros(2, 3, { dtype })` or `zeros([2, 3], { dtype })`.
 */
export type SizeArgs<O> = [shape: readonly number[], options?: O] | number[] | [...sizes: number[], options: O];

/** The shape and options of SizeArgs. */
function sizeArgs<O extends object>(op: string, args: SizeArgs<O>, known: readonly (keyof O & string)[]): [readonly number[], O] {
  if (Array.isArray(args[0])) {
    checkOptions(op, args[1] as O | undefined, known);
    return [args[0] as readonly number[], (args[1] ?? {}) as O];
  }
  const last = args[args.length - 1];
  const hasOptions = typeof last === 'object' && last !== null;
  const sizes = (hasOptions ? args.slice(0, -1) : args) as unknown[];
  if (!sizes.every((s) => typeof s === 'number')) {
    throw new Error(`${op}: expected sizes as numbers or one array of numbers, then options, got (${sizes.map((s) => JSON.stringify(s)).join(', ')})`);
  }
  if (hasOptions) checkOptions(op, last as O, known);
  return [sizes as number[], (hasOptions ? last : {}) as O];
}

/** Zeros of the given size (torch.zeros): `zeros(2, 3)` or `zeros([2, 3], { dtype })`. */
export function zeros(...args: SizeArgs<TensorOptions>): Tensor {
  const [shape, options] = sizeArgs('zeros', args, ['dtype', 'requiresGrad']);
  return filled('zeros', shape, 0, options);
}

/** Ones of the given size (torch.ones). */
export function ones(...args: SizeArgs<TensorOptions>): Tensor {
  const [shape, options] = sizeArgs('ones', args, ['dtype', 'requiresGrad']);
  return filled('ones', shape, 1, options);
}

/**
 * Values from start (inclusive) to end (exclusive) by step: arange(end) or arange(start, end, step).
 * As in torch, all-integer arguments give int64, otherwise float32.
 */
export function arange(start: number, end?: number, step = 1, options: TensorOptions = {}): Tensor {
  checkOptions('arange', options, ['dtype', 'requiresGrad']);
  const [lo, hi] = end === undefined ? [0, start] : [start, end];
  if (step === 0 || !Number.isFinite(step) || !Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new Error(`arange: invalid range start=${lo}, end=${hi}, step=${step}`);
  }
  if ((hi - lo) * step < 0) {
    throw new Error(`arange: upper bound and step are inconsistent: start=${lo}, end=${hi}, step=${step}`);
  }
  const dtype = options.dtype ?? ([lo, hi, step].every(Number.isInteger) ? 'int64' : 'float32');
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = lo + i * step;
  return finish(Tensor.fromStorage(data, [n], dtype), options);
}

/** An n x m matrix with ones on the diagonal (torch.eye). */
export function eye(n: number, m: number = n, options: TensorOptions = {}): Tensor {
  checkOptions('eye', options, ['dtype', 'requiresGrad']);
  const t = zeros([n, m], { dtype: options.dtype });
  const data = t.storage.data;
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return finish(t, options);
}

function randomTensor(op: string, shape: readonly number[], options: RandomOptions, fill: (data: Storage, dtype: DType, g: Generator) => void): Tensor {
  checkShape(op, shape);
  const dtype = options.dtype ?? 'float32';
  if (!isFloatingPoint(dtype)) throw new Error(`${op}: expected a floating-point dtype, got ${dtype}`);
  const data = allocate(dtype, numelOf(shape), op);
  fill(data, dtype, options.generator ?? defaultGenerator);
  return finish(Tensor.fromStorage(data, shape, dtype), options);
}

/** Uniform on [0, 1), drawn as torch.rand draws it (the same seed gives torch's values): `rand(2, 3)` or `rand([2, 3], options)`. */
export function rand(...args: SizeArgs<RandomOptions>): Tensor {
  const [shape, options] = sizeArgs('rand', args, ['dtype', 'requiresGrad', 'generator']);
  return randomTensor('rand', shape, options, (data, dtype, g) => fillUniform(data, dtype, 0, 1, g));
}

/** Standard normal, drawn as torch.randn draws it: `randn(784, 10)` or `randn([784, 10], options)`. */
export function randn(...args: SizeArgs<RandomOptions>): Tensor {
  const [shape, options] = sizeArgs('randn', args, ['dtype', 'requiresGrad', 'generator']);
  return randomTensor('randn', shape, options, (data, dtype, g) => fillNormal(data, dtype, 0, 1, g));
}

/** Integers uniform in [low, high), int64 unless asked otherwise, drawn as torch.randint draws them. */
export function randint(low: number, high: number, shape: readonly number[], options: RandomOptions = {}): Tensor {
  checkOptions('randint', options, ['dtype', 'requiresGrad', 'generator']);
  checkShape('randint', shape);
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || high <= low) {
    throw new Error(`randint: expected integers low < high, got low=${low}, high=${high}`);
  }
  const dtype = options.dtype ?? 'int64';
  const data = allocate(dtype, numelOf(shape));
  fillRandint(data, low, high, options.generator ?? defaultGenerator);
  return finish(Tensor.fromStorage(data, shape, dtype), options);
}

/** A random permutation of 0..n-1 (int64), as torch.randperm draws it. */
export function randperm(n: number, options: RandomOptions = {}): Tensor {
  checkOptions('randperm', options, ['dtype', 'requiresGrad', 'generator']);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`randperm: n must be a non-negative integer, got ${n}`);
  const dtype = options.dtype ?? 'int64';
  const data = allocate(dtype, n);
  fillRandperm(data, options.generator ?? defaultGenerator);
  return Tensor.fromStorage(data, [n], dtype);
}

/**
 * 1 with probability probs[i], else 0, of probs' shape and dtype, as torch.bernoulli(probs)
 * draws it (one 32-bit draw per element). Probabilities must lie in [0, 1].
 */
export function bernoulli(probs: Tensor, options: { generator?: Generator } = {}): Tensor {
  checkOptions('bernoulli', options, ['generator']);
  if (!isFloatingPoint(probs.dtype)) throw new Error(`bernoulli: expected floating-point probabilities, got ${probs.dtype}`);
  const p = probs.dataSync();
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0 && p[i] <= 1)) throw new Error(`bernoulli: probabilities must be in [0, 1], got ${p[i]}`);
  }
  const out = allocate(probs.dtype, p.length);
  bernoulliOf(p, out, options.generator ?? defaultGenerator);
  return Tensor.fromStorage(out, probs.shape, probs.dtype);
}

const like = (t: Tensor, options: TensorOptions) => ({ dtype: t.dtype, ...options });

/** Zeros of t's shape (and dtype, unless options give one). */
export function zerosLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return zeros(t.shape, like(t, options));
}
/** Ones of t's shape (and dtype, unless options give one). */
export function onesLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return ones(t.shape, like(t, options));
}
/** value everywhere, in t's shape (and dtype, unless options give one). */
export function fullLike(t: Tensor, value: number | boolean, options: TensorOptions = {}): Tensor {
  return full(t.shape, value, like(t, options));
}
/** Uniform draws on [0, 1) in t's shape, as torch.rand_like. */
export function randLike(t: Tensor, options: RandomOptions = {}): Tensor {
  return rand(t.shape, like(t, options));
}
/** Standard normal draws in t's shape, as torch.randn_like. */
export function randnLike(t: Tensor, options: RandomOptions = {}): Tensor {
  return randn(t.shape, like(t, options));
}
/** Integers drawn uniformly from [low, high) in t's shape, as torch.randint_like. */
export function randintLike(t: Tensor, low: number, high: number, options: RandomOptions = {}): Tensor {
  return randint(low, high, t.shape, like(t, options));
}
