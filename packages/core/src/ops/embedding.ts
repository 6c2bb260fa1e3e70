import { traced } from '../autograd/trace';
import { formatShape } from '../shape';
import type { Tensor } from '../tensor/tensor';
import { where } from './elementwise';

/**
 * Rows of `weight` looked up by int64 `input` (torch.nn.functional.embedding): the output has
 * input's shape plus the embedding dim. Rows looked up at paddingIdx receive no gradient, as torch's.
 */
export const embedding = traced('embedding', function embedding(input: Tensor, weight: Tensor, paddingIdx: number | null = null): Tensor {
  if (input.dtype !== 'int64') throw new Error(`embedding: expected int64 indices, got ${input.dtype}`);
  if (weight.ndim !== 2) throw new Error(`embedding: expected a 2-D weight (numEmbeddings, embeddingDim), got shape ${formatShape(weight.shape)}`);
  const [rows, dim] = weight.shape;
  const index = input.reshape(-1);
  const values = index.dataSync();
  for (let i = 0; i < values.length; i++) {
    if (values[i] < 0 || values[i] >= rows) throw new Error(`embedding: index ${values[i]} is out of range for ${rows} embeddings`);
  }
  let out = weight.indexSelect(0, index);
  if (paddingIdx !== null) {
    const pad = paddingIdx < 0 ? paddingIdx + rows : paddingIdx;
    out = where(index.eq(pad).unsqueeze(1), out.detach(), out);
  }
  return out.reshape([...input.shape, dim]);
});
