import { formatShape, sameShape, type Tensor } from '../index';

/** Tolerances of assertClose: |actual - expected| <= atol + rtol * |expected| elementwise. */
export interface CloseOptions {
  /** Relative tolerance (default by dtype: 1.3e-6 for float32, 1e-7 for float64, 0 otherwise). */
  rtol?: number;
  /** Absolute tolerance (default by dtype: 1e-5 for float32, 1e-7 for float64, 0 otherwise). */
  atol?: number;
  /** Whether NaN equals NaN (torch.testing.assert_close's equal_nan). */
  equalNan?: boolean;
}

const DEFAULTS: Record<string, { rtol: number; atol: number }> = {
  float32: { rtol: 1.3e-6, atol: 1e-5 },
  float64: { rtol: 1e-7, atol: 1e-7 },
};

/**
 * Throws unless |actual - expected| <= atol + rtol * |expected| everywhere and shapes agree, as
 * torch.testing.assert_close; the message names the worst element.
 */
export function assertClose(actual: Tensor, expected: Tensor, options: CloseOptions = {}): void {
  if (!sameShape(actual.shape, expected.shape)) {
    throw new Error(`assertClose: shape ${formatShape(actual.shape)} does not match the expected ${formatShape(expected.shape)}`);
  }
  const tol = DEFAULTS[expected.dtype] ?? { rtol: 0, atol: 0 };
  const rtol = options.rtol ?? tol.rtol;
  const atol = options.atol ?? tol.atol;
  const a = actual.dataSync();
  const e = expected.dataSync();
  let worst = -1;
  let worstExcess = 0;
  let mismatches = 0;
  for (let i = 0; i < e.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(e[i])) {
      if (options.equalNan && Number.isNaN(a[i]) && Number.isNaN(e[i])) continue;
      mismatches++;
      if (worstExcess !== Infinity) {
        worst = i;
        worstExcess = Infinity;
      }
      continue;
    }
    if (a[i] === e[i]) continue;
    const excess = Math.abs(a[i] - e[i]) - (atol + rtol * Math.abs(e[i]));
    if (excess > 0) {
      mismatches++;
      if (excess > worstExcess) {
        worst = i;
        worstExcess = excess;
      }
    }
  }
  if (mismatches > 0) {
    throw new Error(
      `assertClose: ${mismatches} of ${e.length} elements differ beyond rtol=${rtol}, atol=${atol}; ` +
        `worst at flat index ${worst}: got ${a[worst]}, expected ${e[worst]} (shape ${formatShape(expected.shape)})`,
    );
  }
}
