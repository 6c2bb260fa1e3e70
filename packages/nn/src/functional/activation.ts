import { logSoftmax as coreLogSoftmax, softmax as coreSoftmax, type Tensor } from '@wick/core';

export { relu, sigmoid, tanh, gelu, silu, leakyRelu, elu, softplus, hardtanh, logSigmoid, oneHot } from '@wick/core';
export type { GeluOptions, GeluApproximate, SoftplusOptions } from '@wick/core';

const warned = new Set<string>();

/**
 * torch's legacy choice of dim when none is given (dim 0 for rank 0, 1 or 3, else 1), with
 * its one-time deprecation warning.
 */
function implicitDim(op: string, ndim: number): number {
  const dim = ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
  if (!warned.has(op)) {
    warned.add(op);
    console.warn(`Implicit dimension choice for ${op} has been deprecated. Change the call to include dim=${dim} as an argument.`);
  }
  return dim;
}

/** Softmax along dim (torch.nn.functional.softmax); without dim, torch's legacy implicit choice, with its deprecation warning. */
export function softmax(input: Tensor, dim?: number | null): Tensor {
  return coreSoftmax(input, dim ?? implicitDim('softmax', input.ndim));
}

/** Log-softmax along dim (torch.nn.functional.log_softmax); without dim, torch's legacy implicit choice, with its deprecation warning. */
export function logSoftmax(input: Tensor, dim?: number | null): Tensor {
  return coreLogSoftmax(input, dim ?? implicitDim('logSoftmax', input.ndim));
}
