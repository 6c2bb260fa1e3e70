import { tensor, type DType, type Tensor } from '../index';

/** A tensor as the golden-value scripts write it: flat values (NaN and infinities as strings). */
export interface EncodedTensor {
  /** The shape of the tensor. */
  shape: number[];
  /** The dtype of the tensor. */
  dtype: DType;
  /** The elements in row-major order (non-finite values as the strings 'nan', 'inf', '-inf'). */
  data: (number | boolean | string)[];
  /** Whether the tensor requires grad. */
  requiresGrad?: boolean;
}

/** Rebuilds a tensor written by scripts/golden (exact: float32 values round-trip through JSON). */
export function decodeTensor(encoded: EncodedTensor, dtype: DType = encoded.dtype): Tensor {
  const values = encoded.data.map((v) => (typeof v === 'string' ? Number(v.replace('inf', 'Infinity')) : Number(v)));
  const flat = dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
  return tensor(flat, { shape: encoded.shape, dtype, requiresGrad: encoded.requiresGrad === true && dtype !== 'int64' && dtype !== 'bool' });
}
