import { checkOptions,
  adaptiveAvgPool1d, adaptiveAvgPool2d, adaptiveMaxPool2d, avgPool1d, avgPool2d, maxPool1d, maxPool2d,
  type AdaptiveSize, type AvgPool1dOptions, type AvgPoolOptions, type MaxPool1dOptions, type MaxPoolOptions, type Size2, type Tensor,
} from '@wick/core';
import { Module } from '../module';

const show = (v: unknown) => (Array.isArray(v) ? `(${v.join(', ')})` : String(v));

/**
 * 2-D max pooling, as torch.nn.MaxPool2d (stride defaults to the kernel size). The indices of the
 * maxima come from F.maxPool2d(x, k, { returnIndices: true }).
 */
export class MaxPool2d extends Module {
  constructor(
    /** The window's size. */
    readonly kernelSize: Size2,
    /** Stride (default: the kernel size), padding, dilation and ceilMode, as F.maxPool2d takes them. */
    readonly options: MaxPoolOptions = {},
  ) {
    super();
    checkOptions('MaxPool2d', options, ['stride', 'padding', 'dilation', 'ceilMode']);
  }

  forward(input: Tensor): Tensor {
    return maxPool2d(input, this.kernelSize, this.options);
  }

  extraRepr(): string {
    const { stride = this.kernelSize, padding = 0, dilation = 1, ceilMode = false } = this.options;
    return `kernelSize=${show(this.kernelSize)}, stride=${show(stride ?? this.kernelSize)}, padding=${show(padding)}, dilation=${show(dilation)}, ceilMode=${ceilMode}`;
  }
}

/** 1-D max pooling, as torch.nn.MaxPool1d. */
export class MaxPool1d extends Module {
  constructor(
    /** The window's length. */
    readonly kernelSize: number,
    /** Stride (default: the kernel size), padding, dilation and ceilMode, as F.maxPool1d takes them. */
    readonly options: MaxPool1dOptions = {},
  ) {
    super();
    checkOptions('MaxPool1d', options, ['stride', 'padding', 'dilation', 'ceilMode']);
  }

  forward(input: Tensor): Tensor {
    return maxPool1d(input, this.kernelSize, this.options);
  }

  extraRepr(): string {
    const { stride, padding = 0, dilation = 1, ceilMode = false } = this.options;
    return `kernelSize=${this.kernelSize}, stride=${stride ?? this.kernelSize}, padding=${padding}, dilation=${dilation}, ceilMode=${ceilMode}`;
  }
}

/** 2-D average pooling, as torch.nn.AvgPool2d. */
export class AvgPool2d extends Module {
  constructor(
    /** The window's size. */
    readonly kernelSize: Size2,
    /** Stride (default: the kernel size), padding, ceilMode, countIncludePad and divisorOverride, as F.avgPool2d takes them. */
    readonly options: AvgPoolOptions = {},
  ) {
    super();
    checkOptions('AvgPool2d', options, ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride']);
  }

  forward(input: Tensor): Tensor {
    return avgPool2d(input, this.kernelSize, this.options);
  }

  extraRepr(): string {
    const { stride, padding = 0 } = this.options;
    return `kernelSize=${show(this.kernelSize)}, stride=${show(stride ?? this.kernelSize)}, padding=${show(padding)}`;
  }
}

/** 1-D average pooling, as torch.nn.AvgPool1d. */
export class AvgPool1d extends Module {
  constructor(
    /** The window's length. */
    readonly kernelSize: number,
    /** Stride (default: the kernel size), padding, ceilMode and countIncludePad, as F.avgPool1d takes them. */
    readonly options: AvgPool1dOptions = {},
  ) {
    super();
    checkOptions('AvgPool1d', options, ['stride', 'padding', 'ceilMode', 'countIncludePad']);
  }

  forward(input: Tensor): Tensor {
    return avgPool1d(input, this.kernelSize, this.options);
  }

  extraRepr(): string {
    return `kernelSize=(${this.kernelSize},), stride=(${this.options.stride ?? this.kernelSize},), padding=(${this.options.padding ?? 0},)`;
  }
}

/** 2-D adaptive average pooling to a fixed output size, as torch.nn.AdaptiveAvgPool2d. */
export class AdaptiveAvgPool2d extends Module {
  /** @param outputSize The output size (a number, or [h, w] with null keeping the input's). */
  constructor(readonly outputSize: AdaptiveSize) {
    super();
  }

  forward(input: Tensor): Tensor {
    return adaptiveAvgPool2d(input, this.outputSize);
  }

  extraRepr(): string {
    return `outputSize=${show(this.outputSize)}`;
  }
}

/** 1-D adaptive average pooling, as torch.nn.AdaptiveAvgPool1d. */
export class AdaptiveAvgPool1d extends Module {
  /** @param outputSize The output length. */
  constructor(readonly outputSize: number) {
    super();
  }

  forward(input: Tensor): Tensor {
    return adaptiveAvgPool1d(input, this.outputSize);
  }

  extraRepr(): string {
    return `outputSize=${this.outputSize}`;
  }
}

/**
 * 2-D adaptive max pooling to a fixed output size, as torch.nn.AdaptiveMaxPool2d. The indices of
 * the maxima come from F.adaptiveMaxPool2d(x, size, { returnIndices: true }).
 */
export class AdaptiveMaxPool2d extends Module {
  /** @param outputSize The output size (a number, or [h, w] with null keeping the input's). */
  constructor(readonly outputSize: AdaptiveSize) {
    super();
  }

  forward(input: Tensor): Tensor {
    return adaptiveMaxPool2d(input, this.outputSize);
  }

  extraRepr(): string {
    return `outputSize=${show(this.outputSize)}`;
  }
}
