import { tensor, type DType, type Tensor } from '../index';

/** A tensor as the golden-value scripts write it: flat values (NaN and infinities as strings). */
export interface EncodedTensor {
  shape: number[];
  dtype: DType;
  data: (number | boolean | string)[];
  requiresGrad?: boolean;
}

/** Rebuilds a tensor written by scripts/golden (exact: float32 values round-trip through JSON). */
export function decodeTensor(encoded: EncodedTensor, dtype: DType = encoded.dtype): Tensor {
  const values = encoded.data.map((v) => (typeof v === 'string' ? Number(v.replace('inf', 'Infinity')) : Number(v)));
  const flat = dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
  return tensor(flat, { shape: encoded.shape, dtype, requiresGrad: encoded.requiresGrad === true && dtype !== 'int64' && dtype !== 'bool' });
}
