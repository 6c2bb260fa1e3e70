import { checkOptions, embedding, noGrad, zeros, type DType, type Tensor } from '@wick/core';
import { normal_ } from '../init';
import { Module } from '../module';
import { Parameter } from '../parameter';

/** Options of Embedding. */
export interface EmbeddingOptions {
  /** A row whose lookups receive no gradient, initialised to zeros (negative counts from the end). */
  paddingIdx?: number | null;
  /** The weights' dtype (default float32). */
  dtype?: DType;
}

/** A lookup table of numEmbeddings vectors of embeddingDim, as torch.nn.Embedding (rows drawn from N(0, 1)). */
export class Embedding extends Module {
  /** The embeddings, (numEmbeddings, embeddingDim). */
  readonly weight: Parameter;
  /** The index whose row gets no gradient (normalized to be non-negative), or null. */
  readonly paddingIdx: number | null;

  constructor(
    /** Rows of the table (the vocabulary size). */
    readonly numEmbeddings: number,
    /** Size of each embedding. */
    readonly embeddingDim: number,
    options: EmbeddingOptions = {},
  ) {
    super();
    checkOptions('Embedding', options, ['paddingIdx', 'dtype']);
    for (const [name, v] of [['numEmbeddings', numEmbeddings], ['embeddingDim', embeddingDim]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`Embedding: ${name} must be a positive integer, got ${v}`);
    }
    const padding = options.paddingIdx ?? null;
    if (padding !== null && !(Number.isInteger(padding) && padding >= -numEmbeddings && padding < numEmbeddings)) {
      throw new Error(`Embedding: paddingIdx must be within [${-numEmbeddings}, ${numEmbeddings - 1}], got ${padding}`);
    }
    this.paddingIdx = padding === null || padding >= 0 ? padding : padding + numEmbeddings;
    this.weight = new Parameter(zeros([numEmbeddings, embeddingDim], { dtype: options.dtype ?? 'float32' }));
    this.resetParameters();
  }

  /** An Embedding over given vectors (rows), as torch.nn.Embedding.from_pretrained; frozen unless freeze is false. */
  static fromPretrained(embeddings: Tensor, options: { freeze?: boolean; paddingIdx?: number | null } = {}): Embedding {
    checkOptions('Embedding.fromPretrained', options, ['freeze', 'paddingIdx']);
    if (embeddings.ndim !== 2) throw new Error(`Embedding.fromPretrained: embeddings must be 2-D, got shape [${embeddings.shape.join(', ')}]`);
    const e = new Embedding(embeddings.shape[0], embeddings.shape[1], { paddingIdx: options.paddingIdx, dtype: embeddings.dtype });
    noGrad(() => e.weight.copy_(embeddings));
    e.weight.requiresGrad_(options.freeze === false);
    return e;
  }

  /** torch's default: N(0, 1) rows, the padding row zero. */
  resetParameters(): void {
    normal_(this.weight);
    const padding = this.paddingIdx;
    if (padding !== null) noGrad(() => this.weight.select(0, padding).zero_());
  }

  forward(input: Tensor): Tensor {
    return embedding(input, this.weight, this.paddingIdx);
  }

  extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx === null ? '' : `, paddingIdx=${this.paddingIdx}`}`;
  }
}
