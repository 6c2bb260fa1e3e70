import type { DType } from '@wick/core';

/** Bytes per element of each dtype as files store it (int64 as 8-byte integers). */
export const ITEM_BYTES: Record<DType, number> = { float32: 4, float64: 8, int64: 8, bool: 1 };

/**
 * Elements of `dtype` as the little-endian bytes safetensors and ONNX store: float32 and float64
 * as IEEE values, int64 (held in a Float64Array) as 64-bit integers, bool as one byte each.
 */
export function littleEndianBytes(dtype: DType, data: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(data.length * ITEM_BYTES[dtype]);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) {
    if (dtype === 'float32') view.setFloat32(4 * i, data[i], true);
    else if (dtype === 'float64') view.setFloat64(8 * i, data[i], true);
    else if (dtype === 'int64') view.setBigInt64(8 * i, BigInt(data[i]), true);
    else view.setUint8(i, data[i]);
  }
  return out;
}
