import { traced } from '../autograd/trace';
import { checkOptions } from '../options';
import { Context } from '../autograd/context';
import { Function } from '../autograd/function';
import { defineMethods, type Tensor } from '../tensor/tensor';
import { arange } from '../tensor/creation';
import { unaryKernel, where } from './elementwise';
import { requireFloat } from './util';

class Erf extends Function {
  static forward(ctx: Context, x: Tensor): Tensor {
    requireFloat('erf', x);
    ctx.saveForBackward(x);
    return unaryKernel('erf', x);
  }
  // d erf(x) = 2 / sqrt(pi) * exp(-x^2) dx
  static backward(ctx: Context, g: Tensor) {
    const [x] = ctx.savedTensors;
    return g.mul(x.mul(x).neg().exp().mul(2 / Math.sqrt(Math.PI)));
  }
}

/** GELU's two forms: exact ('none', x Phi(x)) or with tanh approximating Phi ('tanh'), as torch's `approximate`. */
export type GeluApproximate = 'none' | 'tanh';

/** Options of gelu. */
export interface GeluOptions {
  /** 'none' (default): x Phi(x) with the normal CDF; 'tanh': the tanh approximation of Phi. */
  approximate?: GeluApproximate;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const GELU_CUBIC = 0.044715;

class Gelu extends Function {
  static forward(ctx: Context<GeluApproximate>, x: Tensor, approximate: GeluApproximate): Tensor {
    requireFloat('gelu', x);
    ctx.saveForBackward(x);
    ctx.state = approximate;
    return unaryKernel(approximate === 'tanh' ? 'geluTanh' : 'gelu', x);
  }
  // Exact: d/dx x Phi(x) = Phi(x) + x phi(x), phi(x) = exp(-x^2 / 2) / sqrt(2 pi).
  // tanh form, u = sqrt(2/pi) (x + 0.044715 x^3), t = tanh(u):
  //   d/dx 0.5 x (1 + t) = 0.5 (1 + t) + 0.5 x (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715 x^2).
  static backward(ctx: Context<GeluApproximate>, g: Tensor) {
    const [x] = ctx.savedTensors;
    const x2 = x.mul(x);
    if (ctx.state === 'tanh') {
      const t = x.add(x2.mul(x).mul(GELU_CUBIC)).mul(SQRT_2_OVER_PI).tanh();
      const du = x2.mul(3 * GELU_CUBIC).add(1).mul(SQRT_2_OVER_PI);
      const dt = t.mul(t).neg().add(1);
      return [g.mul(t.add(1).mul(0.5).add(x.mul(0.5).mul(dt).mul(du))), null];
    }
    const cdf = x.mul(Math.SQRT1_2).erf().add(1).mul(0.5);
    const pdf = x2.mul(-0.5).exp().mul(1 / Math.sqrt(2 * Math.PI));
    return [g.mul(cdf.add(x.mul(pdf))), null];
  }
}

/** Gaussian error linear unit, x Phi(x) (torch.nn.functional.gelu); `approximate: 'tanh'` uses the tanh form. */
export const gelu = traced('gelu', function gelu(input: Tensor, options: GeluOptions = {}): Tensor {
  checkOptions('gelu', options, ['approximate']);
  const approximate = options.approximate ?? 'none';
  if (approximate !== 'none' && approximate !== 'tanh') {
    throw new Error(`gelu: approximate must be 'none' or 'tanh', got '${String(approximate)}'`);
  }
  return Gelu.apply(input, approximate);
});

class Silu extends Function {
  static forward(ctx: Context, x: Tensor): Tensor {
    requireFloat('silu', x);
    ctx.saveForBackward(x);
    return unaryKernel('silu', x);
  }
  // d/dx x s(x) = s(x) + x s(x) (1 - s(x)) = s(x) (1 + x (1 - s(x))), s the sigmoid.
  static backward(ctx: Context, g: Tensor) {
    const [x] = ctx.savedTensors;
    const s = x.sigmoid();
    return g.mul(s.mul(x.mul(s.neg().add(1)).add(1)));
  }
}

/** Sigmoid linear unit, x sigmoid(x) (torch.nn.functional.silu, also called swish). */
export const silu = traced('silu', function silu(input: Tensor): Tensor {
  return Silu.apply(input);
});

/** The error function, 2 / sqrt(pi) * integral of exp(-t^2) from 0 to x (torch.erf). */
export const erf = traced('erf', function erf(input: Tensor): Tensor {
  return Erf.apply(input);
});

declare module '../tensor/tensor' {
  interface Tensor {
    /** The error function (torch.erf). */
    erf(): Tensor;
    /** Gaussian error linear unit (torch's gelu). */
    gelu(options?: GeluOptions): Tensor;
    /** x sigmoid(x) (torch's silu). */
    silu(): Tensor;
  }
}

defineMethods({
  erf() {
    return erf(this);
  },
  gelu(options) {
    return gelu(this, options);
  },
  silu() {
    return silu(this);
  },
});

// Activations composed from other ops: their gradients follow from the compositions, which are
// chosen to give torch's values at the kinks (noted where it matters).

/** x where x > 0, else negativeSlope * x (torch.nn.functional.leaky_relu; the slope's gradient at 0). */
export const leakyRelu = traced('leakyRelu', function leakyRelu(input: Tensor, negativeSlope = 0.01): Tensor {
  requireFloat('leakyRelu', input);
  return where(input.gt(0), input, input.mul(negativeSlope));
});

/** x where x > 0, else alpha * (exp(x) - 1) (torch.nn.functional.elu). */
export const elu = traced('elu', function elu(input: Tensor, alpha = 1): Tensor {
  requireFloat('elu', input);
  return where(input.gt(0), input, input.clamp(null, 0).exp().sub(1).mul(alpha));
});

/** Options of softplus. */
export interface SoftplusOptions {
  /** Sharpness (default 1). */
  beta?: number;
  /** Above beta * x > threshold the result is x itself (default 20). */
  threshold?: number;
}

/**
 * log(1 + exp(beta * x)) / beta, and x itself where beta * x > threshold (torch's softplus).
 * The exponential's input is capped at the threshold, so the branch not taken never overflows
 * into a NaN gradient.
 */
export const softplus = traced('softplus', function softplus(input: Tensor, options: SoftplusOptions = {}): Tensor {
  checkOptions('softplus', options, ['beta', 'threshold']);
  requireFloat('softplus', input);
  const { beta = 1, threshold = 20 } = options;
  const scaled = input.mul(beta);
  return where(scaled.gt(threshold), input, scaled.clamp(null, threshold).exp().log1p().div(beta));
});

/**
 * x clamped to [minVal, maxVal] (torch.nn.functional.hardtanh). As torch's, the gradient is zero
 * at the bounds themselves, where clamp's passes: the clamped values enter detached.
 */
export const hardtanh = traced('hardtanh', function hardtanh(input: Tensor, minVal = -1, maxVal = 1): Tensor {
  requireFloat('hardtanh', input);
  if (!(minVal <= maxVal)) throw new Error(`hardtanh: minVal (${minVal}) must not be greater than maxVal (${maxVal})`);
  return where(input.gt(minVal).logicalAnd(input.lt(maxVal)), input, input.detach().clamp(minVal, maxVal));
});

/** log(sigmoid(x)) = -softplus(-x), computed stably (torch.nn.functional.logsigmoid). */
export const logSigmoid = traced('logSigmoid', function logSigmoid(input: Tensor): Tensor {
  requireFloat('logSigmoid', input);
  return softplus(input.neg()).neg();
});

/**
 * One-hot rows of int64 class indices (torch.nn.functional.one_hot): shape (..., numClasses),
 * numClasses taken as the largest index + 1 when -1.
 */
export const oneHot = traced('oneHot', function oneHot(input: Tensor, numClasses = -1): Tensor {
  if (input.dtype !== 'int64') throw new Error(`oneHot: expected an int64 tensor of class indices, got ${input.dtype}`);
  const values = input.dataSync();
  let largest = -1;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < 0) throw new Error(`oneHot: class values must be non-negative, got ${values[i]}`);
    largest = Math.max(largest, values[i]);
  }
  const classes = numClasses === -1 ? largest + 1 : numClasses;
  if (!Number.isInteger(classes) || classes < 1 || largest >= classes) {
    throw new Error(`oneHot: class values must be smaller than numClasses (${classes}), got ${largest}`);
  }
  return input.unsqueeze(-1).eq(arange(classes)).long();
});
