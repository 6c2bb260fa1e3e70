import { checkOptions, conv1d, conv2d, convTranspose2d, pad, zeros, type DType, type PadMode, type Size2, type Tensor } from '@wick/core';
import { kaimingUniform_, uniform_ } from '../init';
import { Module } from '../module';
import { Parameter } from '../parameter';

/** How a convolution pads its input: with zeros, or as F.pad's reflect, replicate and circular modes. */
export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

/** Options of Conv1d and Conv2d, as torch's keyword arguments. */
export interface ConvModuleOptions {
  /** Step between windows (default 1). */
  stride?: Size2;
  /** A size per side, or 'valid' (none) or 'same' (output as large as the input; stride 1 only). */
  padding?: Size2 | 'valid' | 'same';
  /** Spacing between kernel elements (default 1). */
  dilation?: Size2;
  /** Input and output channels split into this many independent groups (default 1). */
  groups?: number;
  /** Whether to learn an additive bias (default true). */
  bias?: boolean;
  /** What the padding holds (default 'zeros'). */
  paddingMode?: PaddingMode;
  /** The parameters' dtype (default float32). */
  dtype?: DType;
}

/** Options of ConvTranspose2d. */
export interface ConvTransposeModuleOptions {
  /** Step between input pixels (default 1). */
  stride?: Size2;
  /** dilation * (kernel - 1) - padding zeros of implicit padding on each side (default 0). */
  padding?: Size2;
  /** Extra size added to one side of each output dim (default 0). */
  outputPadding?: Size2;
  /** Input and output channels split into this many independent groups (default 1). */
  groups?: number;
  /** Whether to learn a bias (default true). */
  bias?: boolean;
  /** Spacing between kernel elements (default 1). */
  dilation?: Size2;
  /** The parameters' dtype (default float32). */
  dtype?: DType;
}

const PADDING_MODES: readonly string[] = ['zeros', 'reflect', 'replicate', 'circular'];

/** `v` as one value per spatial dim. */
function perDim(v: Size2, dims: number): number[] {
  return typeof v === 'number' ? new Array(dims).fill(v) : [...v].slice(0, dims);
}

const tuple = (v: readonly number[]) => `(${v.join(', ')}${v.length === 1 ? ',' : ''})`;

/**
 * What Conv1d, Conv2d and ConvTranspose2d share, as torch's _ConvNd: the checks, the weight and
 * bias parameters, torch's default initialisation and its repr.
 */
abstract class ConvNd extends Module {
  /** The kernels: (out, in / groups, ...kernel) for a convolution, (in, out / groups, ...kernel) transposed. */
  readonly weight: Parameter;
  /** One bias per output channel, or null without one. */
  readonly bias: Parameter | null;
  /** The kernel's size per spatial dim. */
  readonly kernelSize: number[];
  /** The stride per spatial dim. */
  readonly stride: number[];
  /** The dilation per spatial dim. */
  readonly dilation: number[];
  /** The number of channel groups. */
  readonly groups: number;

  constructor(
    /** Channels of the input. */
    readonly inChannels: number,
    /** Channels of the output. */
    readonly outChannels: number,
    kernelSize: Size2,
    dims: number,
    transposed: boolean,
    options: { stride?: Size2; dilation?: Size2; groups?: number; bias?: boolean; dtype?: DType },
  ) {
    super();
    const name = this.constructor.name;
    const { groups = 1, dtype = 'float32' } = options;
    for (const [label, v] of [['inChannels', inChannels], ['outChannels', outChannels], ['groups', groups]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`${name}: ${label} must be a positive integer, got ${v}`);
    }
    if (inChannels % groups !== 0) throw new Error(`${name}: inChannels (${inChannels}) must be divisible by groups (${groups})`);
    if (outChannels % groups !== 0) throw new Error(`${name}: outChannels (${outChannels}) must be divisible by groups (${groups})`);
    this.kernelSize = perDim(kernelSize, dims);
    this.stride = perDim(options.stride ?? 1, dims);
    this.dilation = perDim(options.dilation ?? 1, dims);
    this.groups = groups;
    for (const [label, v] of [['kernelSize', this.kernelSize], ['stride', this.stride], ['dilation', this.dilation]] as const) {
      if (v.length !== dims || !v.every((k) => Number.isInteger(k) && k >= 1)) {
        throw new Error(`${name}: ${label} must be a positive integer or ${dims} of them, got ${JSON.stringify(v)}`);
      }
    }
    const shape = transposed ? [inChannels, outChannels / groups] : [outChannels, inChannels / groups];
    this.weight = new Parameter(zeros([...shape, ...this.kernelSize], { dtype }));
    this.bias = options.bias === false ? null : new Parameter(zeros([outChannels], { dtype }));
    this.resetParameters();
  }

  /**
   * torch's default: kaiming-uniform weights with a = sqrt(5), i.e. U(-1/sqrt(fanIn), 1/sqrt(fanIn)),
   * and the bias uniform in the same bound (fanIn from the weight's shape).
   */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const fanIn = this.weight.shape[1] * this.kernelSize.reduce((a, b) => a * b, 1);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  /** The repr's options beyond the defaults, as torch's extra_repr. */
  protected describe(padding: string | null, extra: string[] = []): string {
    const parts = [`${this.inChannels}, ${this.outChannels}`, `kernelSize=${tuple(this.kernelSize)}`, `stride=${tuple(this.stride)}`];
    if (padding !== null) parts.push(`padding=${padding}`);
    if (this.dilation.some((d) => d !== 1)) parts.push(`dilation=${tuple(this.dilation)}`);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (this.bias === null) parts.push('bias=false');
    return [...parts, ...extra].join(', ');
  }
}

/** What Conv1d and Conv2d share: padding sizes or 'valid'/'same', and the padding mode. */
abstract class PaddedConv extends ConvNd {
  /** The padding per spatial dim, or 'valid' or 'same'. */
  readonly padding: number[] | 'valid' | 'same';
  /** How the padding is filled: 'zeros', 'reflect', 'replicate' or 'circular'. */
  readonly paddingMode: PaddingMode;

  constructor(inChannels: number, outChannels: number, kernelSize: Size2, dims: number, options: ConvModuleOptions) {
    super(inChannels, outChannels, kernelSize, dims, false, options);
    checkOptions(this.constructor.name, options, ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode', 'dtype']);
    const name = this.constructor.name;
    const padding = options.padding ?? 0;
    this.padding = padding === 'valid' || padding === 'same' ? padding : perDim(padding, dims);
    if (padding === 'same' && this.stride.some((s) => s !== 1)) throw new Error(`${name}: padding='same' is not supported for strided convolutions`);
    this.paddingMode = options.paddingMode ?? 'zeros';
    if (!PADDING_MODES.includes(this.paddingMode)) {
      throw new Error(`${name}: paddingMode must be one of 'zeros', 'reflect', 'replicate' or 'circular', got '${String(this.paddingMode)}'`);
    }
  }

  /** (before, after) per spatial dim, last dim first, as F.pad takes them (torch's _reversed_padding_repeated_twice). */
  protected padPairs(): number[] {
    const pairs = this.kernelSize.map((k, i) => {
      if (this.padding === 'valid') return [0, 0];
      if (this.padding === 'same') {
        const total = this.dilation[i] * (k - 1);
        return [Math.floor(total / 2), total - Math.floor(total / 2)];
      }
      return [this.padding[i], this.padding[i]];
    });
    return pairs.reverse().flat();
  }

  /** The input padded per paddingMode (then convolved without padding), or as is for 'zeros'. */
  protected padded(input: Tensor): Tensor {
    return this.paddingMode === 'zeros' ? input : pad(input, this.padPairs(), { mode: this.paddingMode as PadMode });
  }

  /** The padding the convolution itself applies: all of it for 'zeros', none after padded(). */
  protected convPadding<T>(all: T): T | 0 {
    return this.paddingMode === 'zeros' ? all : 0;
  }

  extraRepr(): string {
    const padding = typeof this.padding === 'string' ? `'${this.padding}'` : this.padding.some((p) => p !== 0) ? tuple(this.padding) : null;
    return this.describe(padding, this.paddingMode === 'zeros' ? [] : [`paddingMode='${this.paddingMode}'`]);
  }
}

/** 1-D convolution over (N, C, L) inputs, as torch.nn.Conv1d. */
export class Conv1d extends PaddedConv {
  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly [number], options: ConvModuleOptions = {}) {
    super(inChannels, outChannels, typeof kernelSize === 'number' ? kernelSize : kernelSize[0], 1, options);
  }

  forward(input: Tensor): Tensor {
    const padding = this.padding === 'valid' || this.padding === 'same' ? this.padding : this.padding[0];
    return conv1d(this.padded(input), this.weight, this.bias, {
      stride: this.stride[0], dilation: this.dilation[0], groups: this.groups, padding: this.convPadding(padding),
    });
  }
}

/** 2-D convolution over (N, C, H, W) inputs, as torch.nn.Conv2d. */
export class Conv2d extends PaddedConv {
  constructor(inChannels: number, outChannels: number, kernelSize: Size2, options: ConvModuleOptions = {}) {
    super(inChannels, outChannels, kernelSize, 2, options);
  }

  forward(input: Tensor): Tensor {
    const padding = this.padding === 'valid' || this.padding === 'same' ? this.padding : (this.padding as [number, number]);
    return conv2d(this.padded(input), this.weight, this.bias, {
      stride: this.stride as [number, number], dilation: this.dilation as [number, number], groups: this.groups, padding: this.convPadding(padding),
    });
  }
}

/** 2-D transposed convolution, as torch.nn.ConvTranspose2d (weights (in, out / groups, kh, kw)). */
export class ConvTranspose2d extends ConvNd {
  /** The implicit padding removed from each side of the output, per spatial dim. */
  readonly padding: number[];
  /** The extra output size per spatial dim. */
  readonly outputPadding: number[];

  constructor(inChannels: number, outChannels: number, kernelSize: Size2, options: ConvTransposeModuleOptions = {}) {
    super(inChannels, outChannels, kernelSize, 2, true, options);
    checkOptions('ConvTranspose2d', options, ['stride', 'padding', 'outputPadding', 'groups', 'bias', 'dilation', 'dtype']);
    this.padding = perDim(options.padding ?? 0, 2);
    this.outputPadding = perDim(options.outputPadding ?? 0, 2);
  }

  forward(input: Tensor): Tensor {
    return convTranspose2d(input, this.weight, this.bias, {
      stride: this.stride as [number, number],
      padding: this.padding as [number, number],
      outputPadding: this.outputPadding as [number, number],
      groups: this.groups,
      dilation: this.dilation as [number, number],
    });
  }

  extraRepr(): string {
    const extra = this.outputPadding.some((p) => p !== 0) ? [`outputPadding=${tuple(this.outputPadding)}`] : [];
    return this.describe(this.padding.some((p) => p !== 0) ? tuple(this.padding) : null, extra);
  }
}
