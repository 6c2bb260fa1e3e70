import { resultType, type DType, type Scalar, type Tensor } from '@wick/core';
import { attr, unsupported, type GraphBuilder, type OpCall } from '../graph';
import type { SymbolicTable } from './table';

type Operand = Tensor | Scalar;

/**
 * A binary op: both operands in the dtype it computes in (ONNX wants both inputs of one type),
 * then the node, negated for `not`. Comparisons compute in torch's result type of the operands
 * (and give bool), arithmetic in its output's dtype (true division of integers gives floats),
 * logic in bool (nonzero is true, as torch's logical_and reads it).
 */
function binary(opType: string, computeIn: (c: OpCall) => DType, not = false) {
  return (g: GraphBuilder, c: OpCall): string[] => {
    const [a, b] = c.args as [Operand, Operand];
    const dtype = computeIn(c);
    const [y] = g.node(opType, [g.operand(a, dtype), g.operand(b, dtype)]);
    return not ? g.node('Not', [y]) : [y];
  };
}

const operandsType = (c: OpCall) => resultType(c.args[0] as Operand, c.args[1] as Operand);
const outputType = (c: OpCall) => c.outputs[0].dtype;
const boolType = (): DType => 'bool';

/** A one-input op that maps to one ONNX op of the same meaning, with fixed attributes. */
function unary(opType: string, attributes: (c: OpCall) => Record<string, ReturnType<typeof attr.int>> = () => ({})) {
  return (g: GraphBuilder, c: OpCall): string[] => g.node(opType, [g.input(c.args[0] as Tensor)], attributes(c));
}

/** Clip with either bound absent: ONNX's empty input name leaves it out. */
function clip(g: GraphBuilder, x: Tensor, min: number | null | undefined, max: number | null | undefined): string[] {
  const bound = (v: number | null | undefined) => (v === null || v === undefined ? '' : g.scalar(v, x.dtype));
  return g.node('Clip', [g.input(x), bound(min), bound(max)]);
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Elementwise arithmetic, comparisons, logic and activations. */
export const elementwise: SymbolicTable = {
  add: binary('Add', outputType),
  sub: binary('Sub', outputType),
  mul: binary('Mul', outputType),
  div: binary('Div', outputType),
  pow: binary('Pow', outputType),
  maximum: binary('Max', outputType),
  minimum: binary('Min', outputType),
  eq: binary('Equal', operandsType),
  ne: binary('Equal', operandsType, true),
  lt: binary('Less', operandsType),
  le: binary('LessOrEqual', operandsType),
  gt: binary('Greater', operandsType),
  ge: binary('GreaterOrEqual', operandsType),
  logicalAnd: binary('And', boolType),
  logicalOr: binary('Or', boolType),
  isnan: unary('IsNaN'),
  neg: unary('Neg'),
  exp: unary('Exp'),
  log: unary('Log'),
  sqrt: unary('Sqrt'),
  abs: unary('Abs'),
  relu: unary('Relu'),
  sigmoid: unary('Sigmoid'),
  tanh: unary('Tanh'),
  erf: unary('Erf'),
  leakyRelu: unary('LeakyRelu', (c) => ({ alpha: attr.float((c.args[1] as number | undefined) ?? 0.01) })),
  elu: unary('Elu', (c) => ({ alpha: attr.float((c.args[1] as number | undefined) ?? 1) })),
  log1p: (g, c) => {
    const x = c.args[0] as Tensor;
    return g.node('Log', [g.node('Add', [g.input(x), g.scalar(1, x.dtype)])[0]]);
  },
  clamp: (g, c) => clip(g, c.args[0] as Tensor, c.args[1] as number | null | undefined, c.args[2] as number | null | undefined),
  hardtanh: (g, c) => clip(g, c.args[0] as Tensor, (c.args[1] as number | undefined) ?? -1, (c.args[2] as number | undefined) ?? 1),
  where: (g, c) => {
    const [condition, a, b] = c.args as [Tensor, Operand, Operand];
    const dtype = c.outputs[0].dtype;
    return g.node('Where', [g.cast(g.input(condition), condition.dtype, 'bool'), g.operand(a, dtype), g.operand(b, dtype)]);
  },
  // log sigmoid(x) = -softplus(-x), which neither overflows nor underflows.
  logSigmoid: (g, c) => {
    const [minus] = g.node('Neg', [g.input(c.args[0] as Tensor)]);
    return g.node('Neg', [g.node('Softplus', [minus])[0]]);
  },
  // torch's softplus: log(1 + exp(beta x)) / beta, and x itself where beta x > threshold.
  softplus: (g, c) => {
    const x = c.args[0] as Tensor;
    const { beta = 1, threshold = 20 } = (c.args[1] ?? {}) as { beta?: number; threshold?: number };
    const input = g.input(x);
    const [scaled] = beta === 1 ? [input] : g.node('Mul', [input, g.scalar(beta, x.dtype)]);
    let [soft] = g.node('Softplus', [scaled]);
    if (beta !== 1) [soft] = g.node('Div', [soft, g.scalar(beta, x.dtype)]);
    const [above] = g.node('Greater', [scaled, g.scalar(threshold, x.dtype)]);
    return g.node('Where', [above, input, soft]);
  },
  // silu(x) = x sigmoid(x).
  silu: (g, c) => {
    const x = g.input(c.args[0] as Tensor);
    return g.node('Mul', [x, g.node('Sigmoid', [x])[0]]);
  },
  // Opset 17 has no Gelu: torch's exporter writes the same two formulas.
  gelu: (g, c) => {
    const x = c.args[0] as Tensor;
    const { approximate = 'none' } = (c.args[1] ?? {}) as { approximate?: string };
    const input = g.input(x);
    const k = (v: number) => g.scalar(v, x.dtype);
    let inner: string;
    if (approximate === 'tanh') {
      // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
      const [cube] = g.node('Mul', [g.node('Mul', [input, input])[0], input]);
      const [poly] = g.node('Add', [input, g.node('Mul', [cube, k(0.044715)])[0]]);
      [inner] = g.node('Tanh', [g.node('Mul', [poly, k(SQRT_2_OVER_PI)])[0]]);
    } else {
      // 0.5 x (1 + erf(x / sqrt 2))
      [inner] = g.node('Erf', [g.node('Mul', [input, k(Math.SQRT1_2)])[0]]);
    }
    const [half] = g.node('Mul', [input, k(0.5)]);
    return g.node('Mul', [half, g.node('Add', [inner, k(1)])[0]]);
  },
  clone: (g, c) => g.node('Identity', [g.input(c.args[0] as Tensor)]),
  detach: (g, c) => [g.input(c.args[0] as Tensor)],
  // ONNX's Cast rounds floats toward zero on the way to integers, as torch's conversion does.
  toDtype: (g, c) => {
    const x = c.args[0] as Tensor;
    const to = c.outputs[0].dtype;
    return x.dtype === to ? g.node('Identity', [g.input(x)]) : [g.cast(g.input(x), x.dtype, to)];
  },
  oneHot: () => unsupported('oneHot has no ONNX mapping in Wick yet (ONNX OneHot needs its depth as a tensor); compute it outside the exported model'),
};
