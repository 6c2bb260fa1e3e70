/** Gradient clipping and parameter vectors, as torch.nn.utils. */
export { clipGradNorm_, clipGradValue_ } from './clipGrad';
export type { ClipGradNormOptions } from './clipGrad';
export { parametersToVector, vectorToParameters } from './convertParameters';
