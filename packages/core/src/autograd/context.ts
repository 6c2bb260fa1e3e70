import type { Tensor } from '../tensor/tensor';
import { formatShape } from '../shape';

const FREED =
  'Trying to backward through the graph a second time (or to read saved tensors after they have been freed). ' +
  'Saved tensors are freed after the first backward; pass { retainGraph: true } to backward() to keep them.';

/**
 * What a Function's forward hands to its backward: tensors saved with saveForBackward (checked
 * against in-place modification, as torch's version counters do) and any other `state`.
 */
export class Context<S = unknown> {
  /** For each forward argument, whether a gradient with respect to it is wanted. */
  readonly needsInputGrad: readonly boolean[];
  /** Non-tensor values forward wants backward to have (dims, shapes, options). */
  state!: S;
  private saved: readonly Tensor[] | null = [];
  private savedVersions: readonly number[] = [];
  private nonDifferentiable: Set<Tensor> | null = null;

  constructor(needsInputGrad: readonly boolean[]) {
    this.needsInputGrad = needsInputGrad;
  }

  /** Keeps tensors for backward (torch's ctx.save_for_backward); reading them after an in-place change to one is refused. */
  saveForBackward(...tensors: Tensor[]): void {
    this.saved = tensors;
    this.savedVersions = tensors.map((t) => t.version);
  }

  /** Throws the "backward a second time" error once release() has run. */
  assertNotReleased(): void {
    if (this.saved === null) throw new Error(FREED);
  }

  /** The tensors saveForBackward kept, in order. */
  get savedTensors(): readonly Tensor[] {
    if (this.saved === null) throw new Error(FREED);
    this.saved.forEach((t, i) => {
      if (t.version !== this.savedVersions[i]) {
        throw new Error(
          `one of the tensors needed for gradient computation has been modified by an in-place operation: ` +
            `saved tensor ${i} of shape ${formatShape(t.shape)} is at version ${t.version}; expected version ${this.savedVersions[i]}`,
        );
      }
    });
    return this.saved;
  }

  /** Marks outputs (such as argmax indices) that have no gradient. */
  markNonDifferentiable(...tensors: Tensor[]): void {
    this.nonDifferentiable ??= new Set();
    for (const t of tensors) this.nonDifferentiable.add(t);
  }

  /** Whether an output was marked non-differentiable (markNonDifferentiable). */
  isNonDifferentiable(t: Tensor): boolean {
    return this.nonDifferentiable !== null && this.nonDifferentiable.has(t);
  }

  /** Frees saved tensors once backward no longer needs them. */
  release(): void {
    this.saved = null;
  }
}
