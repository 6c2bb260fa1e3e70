// A kernel that imports a tensor: backend/ must not know tensors, ops or autograd.
import { Tensor } from '../../tensor/tensor';

export const isTensor = (x: unknown): boolean => x instanceof Tensor;
