import { checkOptions, formatShape, noGrad, type Generator, type Tensor } from '@wick/core';

/** The nonlinearities calculateGain knows, as torch names them. */
export type Nonlinearity = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu';
/** Whether Kaiming initialisation preserves the variance of the forward pass ('fanIn') or the backward pass ('fanOut'). */
export type FanMode = 'fanIn' | 'fanOut';

/** The recommended gain for a nonlinearity, as torch.nn.init.calculate_gain. */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
  }
}

/** fan_in and fan_out of a weight: (out, in, *receptive field), as torch computes them. */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  if (t.ndim < 2) throw new Error(`init: fan in and fan out cannot be computed for a tensor with fewer than 2 dims (shape ${formatShape(t.shape)})`);
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

/** Fills t with U(a, b) in place, outside autograd, drawn as torch.nn.init.uniform_ draws it. */
export function uniform_(t: Tensor, a = 0, b = 1, generator?: Generator): Tensor {
  return noGrad(() => t.uniform_(a, b, { generator }));
}

/** Fills t with N(mean, std^2) in place, outside autograd, drawn as torch.nn.init.normal_ draws it. */
export function normal_(t: Tensor, mean = 0, std = 1, generator?: Generator): Tensor {
  return noGrad(() => t.normal_(mean, std, { generator }));
}

/** Fills t with value in place, without recording (torch.nn.init.constant_). */
export function constant_(t: Tensor, value: number): Tensor {
  noGrad(() => t.fill_(value));
  return t;
}

/** Fills t with zeros in place, without recording (torch.nn.init.zeros_). */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/** Fills t with ones in place, without recording (torch.nn.init.ones_). */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/** Options of kaimingUniform_ and kaimingNormal_, as torch's. */
export interface KaimingOptions {
  /** Negative slope of the rectifier after this layer (leaky_relu only). */
  a?: number;
  /** 'fanIn' (default) or 'fanOut'. */
  mode?: FanMode;
  /** The nonlinearity after the layer (default 'leaky_relu'). */
  nonlinearity?: Nonlinearity;
  /** The generator to draw from (default: the default generator). */
  generator?: Generator;
}

// The bounds and deviations below follow torch's formulas operation by operation, so they round
// as torch's do and the same seed gives torch's values.

/** U(-bound, bound) with bound = sqrt(3) * gain / sqrt(fan), as torch.nn.init.kaiming_uniform_. */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  checkOptions('kaimingUniform_', options, ['a', 'mode', 'nonlinearity', 'generator']);
  const { a = 0, mode = 'fanIn', nonlinearity = 'leaky_relu', generator } = options;
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const std = calculateGain(nonlinearity, a) / Math.sqrt(mode === 'fanIn' ? fanIn : fanOut);
  const bound = Math.sqrt(3) * std;
  return uniform_(t, -bound, bound, generator);
}

/** N(0, std^2) with std = gain / sqrt(fan), as torch.nn.init.kaiming_normal_. */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  checkOptions('kaimingNormal_', options, ['a', 'mode', 'nonlinearity', 'generator']);
  const { a = 0, mode = 'fanIn', nonlinearity = 'leaky_relu', generator } = options;
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return normal_(t, 0, calculateGain(nonlinearity, a) / Math.sqrt(mode === 'fanIn' ? fanIn : fanOut), generator);
}

/** U(-a, a) with a = sqrt(3) * gain * sqrt(2 / (fan_in + fan_out)), as torch.nn.init.xavier_uniform_. */
export function xavierUniform_(t: Tensor, gain = 1, generator?: Generator): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const std = gain * Math.sqrt(2 / (fanIn + fanOut));
  const bound = Math.sqrt(3) * std;
  return uniform_(t, -bound, bound, generator);
}

/** N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out)). */
export function xavierNormal_(t: Tensor, gain = 1, generator?: Generator): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), generator);
}
