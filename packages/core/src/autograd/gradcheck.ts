import { checkOptions } from '../options';
import { formatShape } from '../shape';
import { Tensor } from '../tensor/tensor';
import { zeros } from '../tensor/creation';
import { noGrad } from './gradMode';

/** Options of gradcheck. */
export interface GradcheckOptions {
  /** Step of the central differences. */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
}

/** One gradient entry where backward and finite differences disagree. */
export interface GradcheckMismatch {
  /** Which input (position in `inputs`) and which of its elements (row-major). */
  input: number;
  /** Which input. */
  inputIndex: number;
  /** Which output and which of its elements. */
  output: number;
  /** Which output element. */
  outputIndex: number;
  /** The gradient backward computed. */
  analytic: number;
  /** The gradient finite differences estimate. */
  numerical: number;
}

/** What gradcheck found. */
export interface GradcheckResult {
  /** Whether every entry agreed within the tolerances. */
  passed: boolean;
  /** The largest |analytic - numerical| over the Jacobians. */
  maxAbsError: number;
  /** The entry furthest beyond atol + rtol * |numerical| (or closest to it when all pass). */
  worst: GradcheckMismatch | null;
}

function outputsOf(result: Tensor | readonly Tensor[]): Tensor[] {
  return (Array.isArray(result) ? [...result] : [result as Tensor]).filter((t) => t.isFloatingPoint());
}

/** Row-major element e of t as a storage position (t may be a strided view). */
function position(t: Tensor, e: number): number {
  let p = t.offset;
  for (let d = t.ndim - 1; d >= 0; d--) {
    p += (e % t.shape[d]) * t.strides[d];
    e = Math.floor(e / t.shape[d]);
  }
  return p;
}

/**
 * Checks the gradients autograd computes for fn against central differences, as
 * torch.autograd.gradcheck: every float64 input that requires grad is perturbed by +-eps, and
 * each Jacobian entry must agree within atol + rtol * |numerical|.
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor | readonly Tensor[],
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckResult {
  checkOptions('gradcheck', options, ['eps', 'atol', 'rtol']);
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3 } = options;
  const checked = inputs.flatMap((t, i) => (t.requiresGrad ? [i] : []));
  if (checked.length === 0) throw new Error('gradcheck: no input requires grad');
  for (const i of checked) {
    const t = inputs[i];
    if (t.dtype !== 'float64') {
      throw new Error(`gradcheck: input ${i} is ${t.dtype}; central differences need float64 inputs`);
    }
    if (!t.isLeaf) throw new Error(`gradcheck: input ${i} of shape ${formatShape(t.shape)} must be a leaf tensor`);
  }

  const outputs = outputsOf(fn(...inputs));
  // analytic[o][e][i] is the gradient of output o, element e, with respect to input i.
  const analytic = outputs.map((out) => {
    const rows: Float64Array[][] = [];
    for (let e = 0; e < out.numel(); e++) {
      for (const i of checked) inputs[i].grad = null;
      if (out.requiresGrad) {
        const seed = zeros(out.shape, { dtype: out.dtype });
        seed.storage.data[e] = 1;
        out.backward(seed, { retainGraph: true });
      }
      rows.push(checked.map((i) => Float64Array.from(inputs[i].grad?.dataSync() ?? new Float64Array(inputs[i].numel()))));
    }
    return rows;
  });
  for (const i of checked) inputs[i].grad = null;

  let maxAbsError = 0;
  let worst: GradcheckMismatch | null = null;
  let worstExcess = -Infinity;
  noGrad(() => {
    checked.forEach((i, ci) => {
      const x = inputs[i];
      const data = x.storage.data;
      for (let e = 0; e < x.numel(); e++) {
        const p = position(x, e);
        const original = data[p];
        data[p] = original + eps;
        const plus = outputsOf(fn(...inputs)).map((o) => Float64Array.from(o.dataSync()));
        data[p] = original - eps;
        const minus = outputsOf(fn(...inputs)).map((o) => Float64Array.from(o.dataSync()));
        data[p] = original;
        outputs.forEach((out, o) => {
          for (let oe = 0; oe < out.numel(); oe++) {
            const numerical = (plus[o][oe] - minus[o][oe]) / (2 * eps);
            const a = analytic[o][oe][ci][e];
            const err = Math.abs(a - numerical);
            const excess = err - (atol + rtol * Math.abs(numerical));
            maxAbsError = Math.max(maxAbsError, Number.isNaN(err) ? Infinity : err);
            if (excess > worstExcess || Number.isNaN(excess)) {
              worstExcess = Number.isNaN(excess) ? Infinity : excess;
              worst = { input: i, inputIndex: e, output: o, outputIndex: oe, analytic: a, numerical };
            }
          }
        });
      }
    });
  });
  return { passed: worstExcess <= 0, maxAbsError, worst };
}
