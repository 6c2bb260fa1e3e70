export { conv1d, conv2d, convTranspose2d, unfold, fold, pad } from '@wick/core';
export type { ConvOptions, Conv1dOptions, ConvTransposeOptions, WindowOptions, PadMode, PadOptions } from '@wick/core';
