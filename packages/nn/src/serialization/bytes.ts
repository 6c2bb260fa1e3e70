import type { DType } from '@wick/core';

/** Bytes per element of each dtype as files store it (int64 as 8-byte integers). */
export const ITEM_BYTES: Record<DType, number> = { float32: 4, float64: 8, int64: 8, bool: 1 };

/** Whether this host stores numbers little-endian, as safetensors and ONNX do (every host Node and browsers run on, in practice). */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The typed array each dtype's values are held in when they can be copied as bytes. */
const NATIVE: Partial<Record<DType, new (length: number) => ArrayBufferView>> = { float32: Float32Array, float64: Float64Array, bool: Uint8Array };

/**
 * Writes elements of `dtype` into `out` from byte `at` as the little-endian bytes safetensors and
 * ONNX store: float32 and float64 as IEEE values, int64 (held in a Float64Array) as 64-bit
 * integers, bool as one byte each. Typed arrays already in that layout are copied as bytes.
 */
export function writeLittleEndian(out: Uint8Array, at: number, dtype: DType, data: ArrayLike<number>): void {
  const native = NATIVE[dtype];
  if (LITTLE_ENDIAN && native !== undefined && data instanceof native) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset + at);
  for (let i = 0; i < data.length; i++) {
    if (dtype === 'float32') view.setFloat32(4 * i, data[i], true);
    else if (dtype === 'float64') view.setFloat64(8 * i, data[i], true);
    else if (dtype === 'int64') view.setBigInt64(8 * i, BigInt(data[i]), true);
    else view.setUint8(i, data[i]);
  }
}

/** Elements of `dtype` as a new array of little-endian bytes (see writeLittleEndian). */
export function littleEndianBytes(dtype: DType, data: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(data.length * ITEM_BYTES[dtype]);
  writeLittleEndian(out, 0, dtype, data);
  return out;
}
