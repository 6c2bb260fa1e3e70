import { cat, formatShape, noGrad, type Tensor } from '@wick/core';

/** The parameters flattened into one vector, in order (torch.nn.utils.parameters_to_vector). */
export function parametersToVector(parameters: Iterable<Tensor>): Tensor {
  const list = [...parameters];
  if (list.length === 0) throw new Error('parametersToVector: expected at least one parameter');
  return cat(list.map((p) => p.reshape(-1)));
}

/** Copies consecutive slices of vec into the parameters, in order (torch.nn.utils.vector_to_parameters). */
export function vectorToParameters(vec: Tensor, parameters: Iterable<Tensor>): void {
  const list = [...parameters];
  const total = list.reduce((n, p) => n + p.numel(), 0);
  if (vec.ndim !== 1 || vec.shape[0] !== total) {
    throw new Error(`vectorToParameters: expected a 1-D vector of ${total} values for the parameters, got shape ${formatShape(vec.shape)}`);
  }
  noGrad(() => {
    let at = 0;
    for (const p of list) {
      p.copy_(vec.narrow(0, at, p.numel()).reshape(p.shape));
      at += p.numel();
    }
  });
}
