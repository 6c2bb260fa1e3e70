import type { Storage } from '../dtype';

/**
 * The memory behind one or more tensors (a tensor and its views share one). The version
 * counter goes up on every in-place write, so autograd can tell when a saved tensor changed.
 */
export class TensorStorage {
  version = 0;
  constructor(readonly data: Storage) {}
}
