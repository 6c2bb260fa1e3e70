import { checkOptions } from '@wick/core';
import type { GeluApproximate, GeluOptions, SoftplusOptions, Tensor } from '@wick/core';
import { Module } from '../module';
import * as F from '../functional/activation';

export class ReLU extends Module {
  forward(input: Tensor): Tensor {
    return F.relu(input);
  }
}

export class Sigmoid extends Module {
  forward(input: Tensor): Tensor {
    return F.sigmoid(input);
  }
}

export class Tanh extends Module {
  forward(input: Tensor): Tensor {
    return F.tanh(input);
  }
}

/** Gaussian error linear unit, x Phi(x) (torch.nn.GELU); `approximate: 'tanh'` uses the tanh form. */
export class GELU extends Module {
  /** 'none' (exact) or 'tanh'. */
  readonly approximate: GeluApproximate;
  constructor(options: GeluOptions = {}) {
    super();
    checkOptions('GELU', options, ['approximate']);
    this.approximate = options.approximate ?? 'none';
  }
  forward(input: Tensor): Tensor {
    return F.gelu(input, { approximate: this.approximate });
  }
  extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** x sigmoid(x) (torch.nn.SiLU). */
export class SiLU extends Module {
  forward(input: Tensor): Tensor {
    return F.silu(input);
  }
}

export class Softmax extends Module {
  /** The dim to normalise over; omitted, torch's legacy implicit choice (with a warning). */
  /** @param dim The dim it runs along (null: torch's legacy implicit choice for the input's rank). */
  constructor(readonly dim: number | null = null) {
    super();
  }
  forward(input: Tensor): Tensor {
    return F.softmax(input, this.dim);
  }
  extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

export class LogSoftmax extends Module {
  /** The dim to normalise over; omitted, torch's legacy implicit choice (with a warning). */
  /** @param dim The dim it runs along (null: torch's legacy implicit choice for the input's rank). */
  constructor(readonly dim: number | null = null) {
    super();
  }
  forward(input: Tensor): Tensor {
    return F.logSoftmax(input, this.dim);
  }
  extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

export class Identity extends Module {
  forward(input: Tensor): Tensor {
    return input;
  }
}

/** x where x > 0, else negativeSlope * x (torch.nn.LeakyReLU). */
export class LeakyReLU extends Module {
  /** @param negativeSlope The slope below zero (default 0.01). */
  constructor(readonly negativeSlope = 0.01) {
    super();
  }
  forward(input: Tensor): Tensor {
    return F.leakyRelu(input, this.negativeSlope);
  }
  extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

/** x where x > 0, else alpha * (exp(x) - 1) (torch.nn.ELU). */
export class ELU extends Module {
  /** @param alpha The saturation value for negative inputs (default 1). */
  constructor(readonly alpha = 1) {
    super();
  }
  forward(input: Tensor): Tensor {
    return F.elu(input, this.alpha);
  }
  extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/** log(1 + exp(beta * x)) / beta, linear above the threshold (torch.nn.Softplus). */
export class Softplus extends Module {
  /** Sharpness (default 1). */
  readonly beta: number;
  /** Above beta * x > threshold the result is x itself (default 20). */
  readonly threshold: number;
  constructor(options: SoftplusOptions = {}) {
    super();
    checkOptions('Softplus', options, ['beta', 'threshold']);
    this.beta = options.beta ?? 1;
    this.threshold = options.threshold ?? 20;
  }
  forward(input: Tensor): Tensor {
    return F.softplus(input, { beta: this.beta, threshold: this.threshold });
  }
  extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/** x clamped to [minVal, maxVal] (torch.nn.Hardtanh). */
export class Hardtanh extends Module {
  constructor(
    /** The lower bound (default -1). */
    readonly minVal = -1,
    /** The upper bound (default 1). */
    readonly maxVal = 1,
  ) {
    super();
    if (!(minVal <= maxVal)) throw new Error(`Hardtanh: minVal (${minVal}) must not be greater than maxVal (${maxVal})`);
  }
  forward(input: Tensor): Tensor {
    return F.hardtanh(input, this.minVal, this.maxVal);
  }
  extraRepr(): string {
    return `minVal=${this.minVal}, maxVal=${this.maxVal}`;
  }
}

/** log(sigmoid(x)) (torch.nn.LogSigmoid). */
export class LogSigmoid extends Module {
  forward(input: Tensor): Tensor {
    return F.logSigmoid(input);
  }
}
