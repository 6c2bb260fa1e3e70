import { defaultGenerator, formatShape, noGrad, tensor, type Generator, type Tensor } from '@wick/core';

/** Fills t in place with values from draw(), outside autograd (as torch.nn.init does). */
function fillWith(t: Tensor, draw: () => number): Tensor {
  const data = new Float64Array(t.numel());
  for (let i = 0; i < data.length; i++) data[i] = draw();
  noGrad(() => t.copy_(tensor(data, { shape: t.shape })));
  return t;
}

export type Nonlinearity = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu';
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

export function uniform_(t: Tensor, a = 0, b = 1, generator: Generator = defaultGenerator): Tensor {
  return fillWith(t, () => a + (b - a) * generator.random());
}

export function normal_(t: Tensor, mean = 0, std = 1, generator: Generator = defaultGenerator): Tensor {
  return fillWith(t, () => mean + std * generator.normal());
}

export function constant_(t: Tensor, value: number): Tensor {
  noGrad(() => t.fill_(value));
  return t;
}

export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

export interface KaimingOptions {
  /** Negative slope of the rectifier after this layer (leaky_relu only). */
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
  generator?: Generator;
}

/** U(-bound, bound) with bound = gain * sqrt(3 / fan), as torch.nn.init.kaiming_uniform_. */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const { a = 0, mode = 'fanIn', nonlinearity = 'leaky_relu', generator } = options;
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const bound = calculateGain(nonlinearity, a) * Math.sqrt(3 / (mode === 'fanIn' ? fanIn : fanOut));
  return uniform_(t, -bound, bound, generator);
}

/** N(0, std^2) with std = gain / sqrt(fan), as torch.nn.init.kaiming_normal_. */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const { a = 0, mode = 'fanIn', nonlinearity = 'leaky_relu', generator } = options;
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return normal_(t, 0, calculateGain(nonlinearity, a) / Math.sqrt(mode === 'fanIn' ? fanIn : fanOut), generator);
}

/** U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)). */
export function xavierUniform_(t: Tensor, gain = 1, generator?: Generator): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -bound, bound, generator);
}

/** N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out)). */
export function xavierNormal_(t: Tensor, gain = 1, generator?: Generator): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), generator);
}
