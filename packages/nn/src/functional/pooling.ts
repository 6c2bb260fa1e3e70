export { maxPool1d, maxPool2d, avgPool1d, avgPool2d, adaptiveAvgPool1d, adaptiveAvgPool2d, adaptiveMaxPool2d } from '@wick/core';
export type { MaxPoolOptions, AvgPoolOptions, MaxPool1dOptions, AvgPool1dOptions, AdaptiveSize } from '@wick/core';
