import type { GraphBuilder, OpCall } from '../graph';

/**
 * An op's ONNX form, as torch.onnx's symbolic functions: given the traced call, adds the nodes
 * that compute it and returns the names of its outputs, one per output tensor.
 */
export type Symbolic = (g: GraphBuilder, call: OpCall) => string[];

/** Symbolic functions by op name. */
export type SymbolicTable = Readonly<Record<string, Symbolic>>;
