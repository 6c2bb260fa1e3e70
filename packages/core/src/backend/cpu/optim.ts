import type { Storage } from '../../dtype';
import type { AdadeltaHyper, AdamHyper, SGDHyper } from '../types';

/**
 * One SGD step in place, torch.optim.SGD's rule element by element:
 *   g += weightDecay * p;  buf = firstStep ? g : momentum * buf + (1 - dampening) * g;
 *   g = nesterov ? g + momentum * buf : buf;  p -= lr * g.
 */
export function sgdStep(param: Storage, grad: Storage, momentumBuffer: Storage | null, h: SGDHyper): void {
  const { lr, momentum, dampening, nesterov, weightDecay, firstStep } = h;
  if (momentumBuffer === null && weightDecay === 0) {
    for (let i = 0; i < param.length; i++) param[i] -= lr * grad[i];
    return;
  }
  for (let i = 0; i < param.length; i++) {
    let g = grad[i];
    if (weightDecay !== 0) g += weightDecay * param[i];
    if (momentumBuffer !== null) {
      momentumBuffer[i] = firstStep ? g : momentum * momentumBuffer[i] + (1 - dampening) * g;
      g = nesterov ? g + momentum * momentumBuffer[i] : momentumBuffer[i];
    }
    param[i] -= lr * g;
  }
}

/**
 * One Adam or AdamW step in place, torch.optim.Adam/AdamW's rule element by element:
 *   m = lerp(m, g, 1 - beta1);  v = beta2 v + (1 - beta2) g^2;
 *   p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps),
 * with weight decay added to g (Adam) or applied as p *= 1 - lr * weightDecay first (AdamW), and
 * amsgrad using the running maximum of v.
 */
export function adamStep(
  param: Storage, grad: Storage, expAvg: Storage, expAvgSq: Storage, maxExpAvgSq: Storage | null, h: AdamHyper,
): void {
  const { lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay, step } = h;
  const stepSize = lr / (1 - Math.pow(beta1, step));
  const bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
  for (let i = 0; i < param.length; i++) {
    let g = grad[i];
    if (weightDecay !== 0) {
      if (decoupledWeightDecay) param[i] *= 1 - lr * weightDecay;
      else g += weightDecay * param[i];
    }
    expAvg[i] += (1 - beta1) * (g - expAvg[i]);
    expAvgSq[i] = expAvgSq[i] * beta2 + (1 - beta2) * g * g;
    let v = expAvgSq[i];
    if (maxExpAvgSq !== null) {
      if (v > maxExpAvgSq[i] || v !== v) maxExpAvgSq[i] = v;
      v = maxExpAvgSq[i];
    }
    param[i] -= (stepSize * expAvg[i]) / (Math.sqrt(v) / bc2Sqrt + eps);
  }
}

/**
 * One Adadelta step in place, torch.optim.Adadelta's rule element by element:
 *   g = (maximize ? -grad : grad) + weightDecay * p;  v = rho v + (1 - rho) g^2;
 *   delta = sqrt(u + eps) / sqrt(v + eps) * g;  u = rho u + (1 - rho) delta^2;  p -= lr * delta.
 */
export function adadeltaStep(param: Storage, grad: Storage, squareAvg: Storage, accDelta: Storage, h: AdadeltaHyper): void {
  const { lr, rho, eps, weightDecay, maximize } = h;
  for (let i = 0; i < param.length; i++) {
    let g = maximize ? -grad[i] : grad[i];
    if (weightDecay !== 0) g += weightDecay * param[i];
    squareAvg[i] = squareAvg[i] * rho + (1 - rho) * g * g;
    const delta = (Math.sqrt(accDelta[i] + eps) / Math.sqrt(squareAvg[i] + eps)) * g;
    accDelta[i] = accDelta[i] * rho + (1 - rho) * delta * delta;
    param[i] -= lr * delta;
  }
}
