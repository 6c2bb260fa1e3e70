import { elementwise } from './elementwise';
import { layers } from './layers';
import { reduce } from './reduce';
import { shape } from './shape';
import type { SymbolicTable } from './table';

export { SIZE_FOLLOWING_OPS } from './shape';
export type { Symbolic, SymbolicTable } from './table';

/** Every op's ONNX form, by the name trace() reports. */
export const SYMBOLIC: SymbolicTable = { ...elementwise, ...shape, ...reduce, ...layers };
