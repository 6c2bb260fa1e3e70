import { allocate, checkValue, type DType, type Storage } from '../dtype';
import { formatShape, numelOf } from '../shape';

/** Nested arrays of numbers or booleans, as tensor() takes data and toArray() returns it. */
export type NestedArray = number | boolean | NestedArray[];
/** What tensor() accepts: a scalar, nested arrays, or a typed array (flat, with a shape). */
export type TensorData = number | boolean | readonly TensorData[] | ArrayLike<number> | BigInt64Array;

export type TypedArray =
  | Float32Array | Float64Array | Int8Array | Int16Array | Int32Array
  | Uint8Array | Uint16Array | Uint32Array | BigInt64Array;

export function isTypedArray(x: unknown): x is TypedArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/** The dtype a typed array maps to when none is asked for. */
export function typedArrayDType(x: TypedArray): DType {
  if (x instanceof Float32Array) return 'float32';
  if (x instanceof Float64Array) return 'float64';
  return 'int64';
}

/** Infers the shape of nested arrays, refusing ragged ones. */
export function inferShape(data: unknown): number[] {
  const shape: number[] = [];
  let level: unknown = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  return shape;
}

/**
 * Flattens nested arrays of `shape` into storage of `dtype`, checking every element:
 * ragged rows, non-numbers and non-finite numbers are refused with their position.
 * Recursion goes as deep as the rank, not the element count.
 */
export function flattenNested(data: unknown, shape: readonly number[], dtype: DType): Storage {
  const out = allocate(dtype, numelOf(shape));
  let k = 0;
  const path: number[] = [];
  const where = (): string => (path.length > 0 ? ` at index ${formatShape(path)}` : '');
  // The first leaf's kind: booleans and numbers mixed are refused, not silently made one type.
  let kind: { type: string; at: string } | null = null;
  const visit = (node: unknown, depth: number): void => {
    if (depth < shape.length) {
      if (!Array.isArray(node) || node.length !== shape[depth]) {
        const got = Array.isArray(node) ? `length ${node.length}` : `a ${typeof node}`;
        throw new Error(
          `tensor: ragged nested array: expected a sequence of length ${shape[depth]}${where()}, got ${got} (shape ${formatShape(shape)})`,
        );
      }
      for (let i = 0; i < node.length; i++) {
        path.push(i);
        visit(node[i], depth + 1);
        path.pop();
      }
      return;
    }
    if (typeof node === 'number' || typeof node === 'boolean') {
      if (kind === null) kind = { type: typeof node, at: where() };
      else if (kind.type !== typeof node) {
        throw new Error(`tensor: mixed booleans and numbers: a ${kind.type}${kind.at} and the ${typeof node} ${String(node)}${where()}; give one type`);
      }
    }
    let v: number;
    if (typeof node === 'number') v = node;
    else if (typeof node === 'boolean') v = node ? 1 : 0;
    else if (Array.isArray(node)) throw new Error(`tensor: ragged nested array: unexpected sequence${where()}`);
    else throw new Error(`tensor: expected a number${where()}, got ${typeof node} ${String(node)}`);
    if (!Number.isFinite(v)) {
      throw new Error(`tensor: non-finite value ${v}${where()}; use full() or a typed array to build tensors holding NaN or infinity`);
    }
    checkValue('tensor', dtype, v);
    out[k++] = dtype === 'bool' ? (v !== 0 ? 1 : 0) : v;
  };
  visit(data, 0);
  return out;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Copies a typed array into storage of `dtype`, refusing values the dtype cannot hold. */
export function convertTypedArray(x: TypedArray, dtype: DType): Storage {
  const out = allocate(dtype, x.length);
  for (let i = 0; i < x.length; i++) {
    const raw = x[i];
    if (typeof raw === 'bigint' && (raw > MAX_SAFE || raw < -MAX_SAFE)) {
      throw new Error(`tensor: int64 value ${raw} at index ${i} is beyond 2^53 - 1 and cannot be stored exactly`);
    }
    const v = Number(raw);
    checkValue('tensor', dtype, v);
    out[i] = dtype === 'bool' ? (v !== 0 ? 1 : 0) : v;
  }
  return out;
}

export function toNested(data: Storage, shape: readonly number[], dtype: DType): NestedArray {
  const read = (i: number): number | boolean => (dtype === 'bool' ? data[i] !== 0 : data[i]);
  if (shape.length === 0) return read(0);
  let k = 0;
  const build = (depth: number): NestedArray[] => {
    const out: NestedArray[] = [];
    for (let i = 0; i < shape[depth]; i++) out.push(depth === shape.length - 1 ? read(k++) : build(depth + 1));
    return out;
  };
  return build(0);
}
