import type { Storage } from '../dtype';

/**
 * The memory behind one or more tensors (a tensor and its views share one). The version
 * counter goes up on every in-place write, so autograd can tell when a saved tensor changed.
 */
export class TensorStorage {
  version = 0;
  private buffer: Storage | null;

  constructor(data: Storage) {
    this.buffer = data;
  }

  get data(): Storage {
    if (this.buffer === null) throw new Error('this tensor (or the tensor it is a view of) has been disposed');
    return this.buffer;
  }

  get disposed(): boolean {
    return this.buffer === null;
  }

  /** Lets the memory go now rather than when the last tensor using it becomes unreachable. */
  dispose(): void {
    this.buffer = null;
  }
}
