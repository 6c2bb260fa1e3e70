export { batchNorm, layerNorm, groupNorm, embedding } from '@wick/core';
export type { BatchNormOptions, LayerNormOptions, GroupNormOptions } from '@wick/core';
