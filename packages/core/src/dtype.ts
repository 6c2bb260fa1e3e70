/**
 * Element types. int64 holds class indices and counts; it is stored in a Float64Array,
 * which represents every integer of magnitude up to 2^53 - 1 exactly, so the plain
 * kernels stay generic over one number type. Values outside that range are refused
 * when data come in, so what a user passes always round-trips.
 */
export type DType = 'float32' | 'float64' | 'int64' | 'bool';

/** The typed array behind a dtype: Float32Array (float32), Float64Array (float64 and int64), Uint8Array (bool). */
export type Storage = Float32Array | Float64Array | Uint8Array;

const BYTES: Record<DType, number> = { float32: 4, float64: 8, int64: 8, bool: 1 };

/**
 * Zeroed storage for `size` elements of dtype. Too large a request (beyond what the engine gives
 * one typed array) is refused naming `op`, the element count and the bytes, not with the
 * engine's bare "Invalid typed array length".
 */
export function allocate(dtype: DType, size: number, op = 'allocate'): Storage {
  try {
    switch (dtype) {
      case 'float32':
        return new Float32Array(size);
      case 'float64':
      case 'int64':
        return new Float64Array(size);
      case 'bool':
        return new Uint8Array(size);
    }
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const bytes = size * BYTES[dtype];
    throw new Error(
      `${op}: cannot allocate ${size} ${dtype} elements (${bytes} bytes, ${(bytes / 2 ** 30).toFixed(1)} GiB): more than JavaScript gives one array here`,
      { cause: e },
    );
  }
}

/** Whether dtype is float32 or float64. */
export function isFloatingPoint(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

const RANK: Record<DType, number> = { bool: 0, int64: 1, float32: 2, float64: 3 };

/** torch.promote_types for the dtypes we have. */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * The dtype of `tensor op scalar`, following torch: a scalar only raises the category
 * (bool < integer < floating), never the width, and a float scalar lifts an integer
 * tensor to the default float dtype.
 */
export function promoteWithScalar(t: DType, scalar: number | boolean): DType {
  if (typeof scalar === 'boolean') return t;
  if (Number.isInteger(scalar)) return t === 'bool' ? 'int64' : t;
  return isFloatingPoint(t) ? t : 'float32';
}

/** Rounds or checks a number for storage in `dtype`; throws on values the dtype cannot hold. */
export function checkValue(op: string, dtype: DType, v: number): void {
  if (dtype === 'int64' && !Number.isSafeInteger(v)) {
    throw new Error(
      `${op}: int64 value ${v} is not an integer of magnitude at most 2^53 - 1, so it cannot be stored exactly`,
    );
  }
}
