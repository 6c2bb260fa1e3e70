export { nllLoss, crossEntropy } from '@wick/core';
export type { NLLLossOptions, CrossEntropyOptions, Reduction } from '@wick/core';
