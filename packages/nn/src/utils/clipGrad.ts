import { checkOptions, noGrad, stack, tensor, type Tensor } from '@wick/core';

/** Options of clipGradNorm_. */
export interface ClipGradNormOptions {
  /** The p of the p-norm (default 2; Infinity for the largest absolute value). */
  normType?: number;
  /** Throw if the total norm is NaN or infinite instead of scaling by it (default false). */
  errorIfNonfinite?: boolean;
}

/** The parameters' gradients, where they have one. */
function gradients(parameters: Iterable<Tensor>): Tensor[] {
  return [...parameters].flatMap((p) => (p.grad === null ? [] : [p.grad]));
}

/**
 * Scales all gradients in place so that their joint norm is at most maxNorm
 * (torch.nn.utils.clip_grad_norm_): by maxNorm / (norm + 1e-6) when that is below 1. Returns the
 * total norm before clipping.
 */
export function clipGradNorm_(parameters: Iterable<Tensor>, maxNorm: number, options: ClipGradNormOptions = {}): Tensor {
  checkOptions('clipGradNorm_', options, ['normType', 'errorIfNonfinite']);
  const { normType = 2, errorIfNonfinite = false } = options;
  if (!(normType > 0)) throw new Error(`clipGradNorm_: normType must be positive, got ${normType}`);
  const grads = gradients(parameters);
  if (grads.length === 0) return tensor(0);
  return noGrad(() => {
    const norms = grads.map((g) => (normType === Infinity ? g.abs().amax() : g.abs().pow(normType).sum().pow(1 / normType)));
    const all = stack(norms);
    const total = normType === Infinity ? all.amax() : all.pow(normType).sum().pow(1 / normType);
    const value = total.item();
    if (errorIfNonfinite && !Number.isFinite(value)) {
      throw new Error(`clipGradNorm_: the total norm of order ${normType} for gradients from parameters is non-finite (${value}), so it cannot be clipped`);
    }
    const coef = Math.min(maxNorm / (value + 1e-6), 1);
    for (const g of grads) g.mul_(coef);
    return total;
  });
}

/** Clamps every gradient in place to [-clipValue, clipValue] (torch.nn.utils.clip_grad_value_). */
export function clipGradValue_(parameters: Iterable<Tensor>, clipValue: number): void {
  if (!(clipValue >= 0)) throw new Error(`clipGradValue_: clipValue must be non-negative, got ${clipValue}`);
  noGrad(() => {
    for (const g of gradients(parameters)) g.clamp_(-clipValue, clipValue);
  });
}
