export {
  nllLoss, crossEntropy, mseLoss, l1Loss, smoothL1Loss, huberLoss, binaryCrossEntropy, binaryCrossEntropyWithLogits, klDiv,
} from '@wick/core';
export type {
  NLLLossOptions, CrossEntropyOptions, Reduction, ElementwiseLossOptions, BinaryCrossEntropyOptions, KLDivOptions,
} from '@wick/core';
