import type { Storage } from '../../dtype';
import type { AdadeltaHyper, AdagradHyper, AdamHyper, RMSpropHyper, SGDHyper } from '../types';

/**
 * One SGD step in place, torch.optim.SGD's rule element by element (g negated first to maximize):
 *   g += weightDecay * p;  buf = firstStep ? g : momentum * buf + (1 - dampening) * g;
 *   g = nesterov ? g + momentum * buf : buf;  p -= lr * g.
 */
export function sgdStep(param: Storage, grad: Storage, momentumBuffer: Storage | null, h: SGDHyper): void {
  const { lr, momentum, dampening, nesterov, weightDecay, firstStep, maximize } = h;
  if (momentumBuffer === null && weightDecay === 0) {
    const step = maximize ? -lr : lr;
    for (let i = 0; i < param.length; i++) param[i] -= step * grad[i];
    return;
  }
  for (let i = 0; i < param.length; i++) {
    let g = maximize ? -grad[i] : grad[i];
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

/**
 * One RMSprop step in place, torch.optim.RMSprop's rule element by element:
 *   g = (maximize ? -grad : grad) + weightDecay * p;  v = alpha v + (1 - alpha) g^2;
 *   avg = sqrt(v - m^2) + eps with m = alpha m + (1 - alpha) g when centered, else sqrt(v) + eps;
 *   with momentum: buf = momentum buf + g / avg, p -= lr buf; else p -= lr g / avg.
 */
export function rmspropStep(
  param: Storage, grad: Storage, squareAvg: Storage, gradAvg: Storage | null, momentumBuffer: Storage | null, h: RMSpropHyper,
): void {
  const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = h;
  for (let i = 0; i < param.length; i++) {
    let g = maximize ? -grad[i] : grad[i];
    if (weightDecay !== 0) g += weightDecay * param[i];
    squareAvg[i] = squareAvg[i] * alpha + (1 - alpha) * g * g;
    let avg: number;
    if (centered && gradAvg !== null) {
      gradAvg[i] = gradAvg[i] * alpha + (1 - alpha) * g;
      avg = Math.sqrt(squareAvg[i] - gradAvg[i] * gradAvg[i]) + eps;
    } else avg = Math.sqrt(squareAvg[i]) + eps;
    if (momentum > 0 && momentumBuffer !== null) {
      momentumBuffer[i] = momentumBuffer[i] * momentum + g / avg;
      param[i] -= lr * momentumBuffer[i];
    } else param[i] -= (lr * g) / avg;
  }
}

/**
 * One Adagrad step in place, torch.optim.Adagrad's rule element by element:
 *   g = (maximize ? -grad : grad) + weightDecay * p;  s += g^2;
 *   p -= lr / (1 + (step - 1) lrDecay) * g / (sqrt(s) + eps).
 */
export function adagradStep(param: Storage, grad: Storage, stateSum: Storage, h: AdagradHyper): void {
  const { lr, lrDecay, weightDecay, eps, maximize, step } = h;
  const clr = lr / (1 + (step - 1) * lrDecay);
  for (let i = 0; i < param.length; i++) {
    let g = maximize ? -grad[i] : grad[i];
    if (weightDecay !== 0) g += weightDecay * param[i];
    stateSum[i] += g * g;
    param[i] -= (clr * g) / (Math.sqrt(stateSum[i]) + eps);
  }
}
