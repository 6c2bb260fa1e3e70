/** The functional layer, as torch.nn.functional: modules are thin wrappers over these. */
export { relu, sigmoid, tanh, softmax, logSoftmax } from './activation';
export { linear } from './linear';
export { dropout } from './dropout';
export { nllLoss } from './loss/nllLoss';
export type { NLLLossOptions } from './loss/nllLoss';
export { crossEntropy } from './loss/crossEntropy';
export type { CrossEntropyOptions } from './loss/crossEntropy';
export type { Reduction } from './loss/reduction';
