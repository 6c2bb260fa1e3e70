import { traced } from '../autograd/trace';
import { kernels, type BinaryOp, type UnaryOp } from '../backend';
import { Context } from '../autograd/context';
import { Function } from '../autograd/function';
import { isFloatingPoint } from '../dtype';
import { broadcastShapes } from '../shape';
import { Tensor, defineMethods, type TensorOrScalar } from '../tensor/tensor';
import { broadcastView, checkInt64Range, empty, operands, requireFloat, resultType, scalarTensor, sumToShape } from './util';

// ---- kernels behind the ops --------------------------------------------------------------

function binaryKernel(op: BinaryOp, a: Tensor, b: Tensor, name: string, dtype = resultType(a, b)): Tensor {
  const shape = broadcastShapes(name, a.shape, b.shape);
  const out = empty(shape, dtype);
  kernels().binary(op, broadcastView(a, shape), broadcastView(b, shape), shape, out.storage.data);
  return checkInt64Range(name, out);
}

/** A unary kernel's output for x (of x's dtype unless given), outside autograd. */
export function unaryKernel(op: UnaryOp, x: Tensor, dtype = x.dtype): Tensor {
  const out = empty(x.shape, dtype);
  kernels().unary(op, x.dataSync(), out.storage.data);
  return out;
}

// ---- binary arithmetic -----------------------------------------------------------------------

type Shapes = { a: readonly number[]; b: readonly number[] };

class Add extends Function {
  static forward(ctx: Context<Shapes>, a: Tensor, b: Tensor): Tensor {
    ctx.state = { a: a.shape, b: b.shape };
    return binaryKernel('add', a, b, 'add');
  }
  static backward(ctx: Context<Shapes>, g: Tensor) {
    return [sumToShape(g, ctx.state.a), sumToShape(g, ctx.state.b)];
  }
}

class Sub extends Function {
  static forward(ctx: Context<Shapes>, a: Tensor, b: Tensor): Tensor {
    ctx.state = { a: a.shape, b: b.shape };
    return binaryKernel('sub', a, b, 'sub');
  }
  static backward(ctx: Context<Shapes>, g: Tensor) {
    return [sumToShape(g, ctx.state.a), ctx.needsInputGrad[1] ? sumToShape(g.neg(), ctx.state.b) : null];
  }
}

class Mul extends Function {
  static forward(ctx: Context, a: Tensor, b: Tensor): Tensor {
    ctx.saveForBackward(a, b);
    return binaryKernel('mul', a, b, 'mul');
  }
  // d(ab) = b da + a db
  static backward(ctx: Context, g: Tensor) {
    const [a, b] = ctx.savedTensors;
    return [
      ctx.needsInputGrad[0] ? sumToShape(g.mul(b), a.shape) : null,
      ctx.needsInputGrad[1] ? sumToShape(g.mul(a), b.shape) : null,
    ];
  }
}

class Div extends Function {
  static forward(ctx: Context, a: Tensor, b: Tensor): Tensor {
    ctx.saveForBackward(a, b);
    // True division: integer operands give the default float dtype, as in torch.
    const dtype = resultType(a, b);
    return binaryKernel('div', a, b, 'div', isFloatingPoint(dtype) ? dtype : 'float32');
  }
  // d(a/b) = da / b - a db / b^2
  static backward(ctx: Context, g: Tensor) {
    const [a, b] = ctx.savedTensors;
    return [
      ctx.needsInputGrad[0] ? sumToShape(g.div(b), a.shape) : null,
      ctx.needsInputGrad[1] ? sumToShape(g.mul(a).div(b.mul(b)).neg(), b.shape) : null,
    ];
  }
}

class Pow extends Function {
  static forward(ctx: Context, a: Tensor, b: Tensor): Tensor {
    const y = binaryKernel('pow', a, b, 'pow');
    ctx.saveForBackward(a, b, y);
    return y;
  }
  // d(a^b) = b a^(b-1) da + a^b log(a) db, the last taken as 0 where a = 0 and b >= 0 (torch).
  static backward(ctx: Context, g: Tensor) {
    const [a, b, y] = ctx.savedTensors;
    const ga = ctx.needsInputGrad[0] ? sumToShape(g.mul(b).mul(a.pow(b.sub(1))), a.shape) : null;
    let gb: Tensor | null = null;
    if (ctx.needsInputGrad[1]) {
      const term = y.mul(a.log());
      gb = sumToShape(g.mul(where(a.eq(0).logicalAnd(b.ge(0)), 0, term)), b.shape);
    }
    return [ga, gb];
  }
}

/** maximum/minimum: the gradient goes to the winner, split evenly on ties (torch's rule). */
class Extremum extends Function {
  static forward(ctx: Context<{ op: 'maximum' | 'minimum' }>, a: Tensor, b: Tensor, op: 'maximum' | 'minimum'): Tensor {
    ctx.saveForBackward(a, b);
    ctx.state = { op };
    return binaryKernel(op, a, b, op);
  }
  static backward(ctx: Context<{ op: 'maximum' | 'minimum' }>, g: Tensor) {
    const [a, b] = ctx.savedTensors;
    const aWins = ctx.state.op === 'maximum' ? a.gt(b) : a.lt(b);
    const tie = a.eq(b);
    const half = g.mul(0.5);
    return [
      ctx.needsInputGrad[0] ? sumToShape(where(tie, half, where(aWins, g, 0)), a.shape) : null,
      ctx.needsInputGrad[1] ? sumToShape(where(tie, half, where(aWins.logicalOr(tie), 0, g)), b.shape) : null,
      null,
    ];
  }
}

/** a + b, broadcast, in torch's result type (torch.add). */
export const add = traced('add', function add(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return Add.apply(...operands('add', a, b));
});
/** a - b, broadcast (torch.sub). */
export const sub = traced('sub', function sub(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return Sub.apply(...operands('sub', a, b));
});
/** a * b, broadcast (torch.mul). */
export const mul = traced('mul', function mul(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return Mul.apply(...operands('mul', a, b));
});
/** a / b, broadcast; true division, so integers give float32 (torch.div). */
export const div = traced('div', function div(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return Div.apply(...operands('div', a, b));
});
/** a to the power b, broadcast (torch.pow); integers to negative integer powers are refused. */
export const pow = traced('pow', function pow(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  const [base, exponent] = operands('pow', a, b);
  if (!isFloatingPoint(resultType(base, exponent)) && exponent.lt(0).sum().item() > 0) {
    throw new Error('pow: integers to negative integer powers are not allowed');
  }
  if (a instanceof Tensor && typeof b === 'number') return PowScalar.apply(a, b);
  return Pow.apply(base, exponent);
});
/** The elementwise larger of a and b; NaN wins (torch.maximum). */
export const maximum = traced('maximum', function maximum(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return Extremum.apply(...operands('maximum', a, b), 'maximum');
});
/** The elementwise smaller of a and b; NaN wins (torch.minimum). */
export const minimum = traced('minimum', function minimum(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return Extremum.apply(...operands('minimum', a, b), 'minimum');
});

// ---- comparisons and logic: bool results, no gradient --------------------------------------------

function compare(op: BinaryOp) {
  return (a: TensorOrScalar, b: TensorOrScalar): Tensor => {
    const [x, y] = operands(op, a, b);
    return binaryKernel(op, x, y, op, 'bool');
  };
}
/** a == b elementwise, as a bool tensor (torch.eq). */
export const eq = traced('eq', compare('eq'));
/** a != b elementwise, as a bool tensor (torch.ne). */
export const ne = traced('ne', compare('ne'));
/** a < b elementwise, as a bool tensor (torch.lt). */
export const lt = traced('lt', compare('lt'));
/** a <= b elementwise, as a bool tensor (torch.le). */
export const le = traced('le', compare('le'));
/** a > b elementwise, as a bool tensor (torch.gt). */
export const gt = traced('gt', compare('gt'));
/** a >= b elementwise, as a bool tensor (torch.ge). */
export const ge = traced('ge', compare('ge'));
/** a and b elementwise, nonzero being true, as a bool tensor (torch.logical_and). */
export const logicalAnd = traced('logicalAnd', compare('logicalAnd'));
/** a or b elementwise, nonzero being true, as a bool tensor (torch.logical_or). */
export const logicalOr = traced('logicalOr', compare('logicalOr'));

/** Where x is NaN, as a bool tensor (torch.isnan). */
export const isnan = traced('isnan', function isnan(x: Tensor): Tensor {
  return unaryKernel('isnan', x, 'bool');
});

// ---- unary ----------------------------------------------------------------------------------------

class Neg extends Function {
  static forward(_ctx: Context, x: Tensor): Tensor {
    return unaryKernel('neg', x);
  }
  static backward(_ctx: Context, g: Tensor) {
    return g.neg();
  }
}

class Exp extends Function {
  static forward(ctx: Context, x: Tensor): Tensor {
    requireFloat('exp', x);
    const y = unaryKernel('exp', x);
    ctx.saveForBackward(y);
    return y;
  }
  // d exp(x) = exp(x) dx
  static backward(ctx: Context, g: Tensor) {
    return g.mul(ctx.savedTensors[0]);
  }
}

class Log extends Function {
  static forward(ctx: Context, x: Tensor): Tensor {
    requireFloat('log', x);
    ctx.saveForBackward(x);
    return unaryKernel('log', x);
  }
  static backward(ctx: Context, g: Tensor) {
    return g.div(ctx.savedTensors[0]);
  }
}

class Log1p extends Function {
  static forward(ctx: Context, x: Tensor): Tensor {
    requireFloat('log1p', x);
    ctx.saveForBackward(x);
    return unaryKernel('log1p', x);
  }
  // d log(1 + x) = dx / (1 + x)
  static backward(ctx: Context, g: Tensor) {
    return g.div(ctx.savedTensors[0].add(1));
  }
}

class Sqrt extends Function {
  static forward(ctx: Context, x: Tensor): Tensor {
    requireFloat('sqrt', x);
    const y = unaryKernel('sqrt', x);
    ctx.saveForBackward(y);
    return y;
  }
  // d sqrt(x) = dx / (2 sqrt(x))
  static backward(ctx: Context, g: Tensor) {
    return g.div(ctx.savedTensors[0].mul(2));
  }
}

class Abs extends Function {
  static forward(ctx: Context, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return unaryKernel('abs', x);
  }
  // sign(0) = 0: the subgradient torch picks.
  static backward(ctx: Context, g: Tensor) {
    return g.mul(unaryKernel('sign', ctx.savedTensors[0]));
  }
}

class Relu extends Function {
  static forward(ctx: Context, x: Tensor): Tensor {
    const y = unaryKernel('relu', x);
    ctx.saveForBackward(y);
    return y;
  }
  // The gradient passes where the output is positive: one masking pass over g.
  static backward(ctx: Context, g: Tensor) {
    const out = empty(g.shape, g.dtype);
    kernels().reluBackward(g.dataSync(), ctx.savedTensors[0].dataSync(), out.storage.data);
    return out;
  }
}

class Sigmoid extends Function {
  static forward(ctx: Context, x: Tensor): Tensor {
    requireFloat('sigmoid', x);
    const y = unaryKernel('sigmoid', x);
    ctx.saveForBackward(y);
    return y;
  }
  // s' = s (1 - s)
  static backward(ctx: Context, g: Tensor) {
    const y = ctx.savedTensors[0];
    return g.mul(y).mul(y.neg().add(1));
  }
}

class Tanh extends Function {
  static forward(ctx: Context, x: Tensor): Tensor {
    requireFloat('tanh', x);
    const y = unaryKernel('tanh', x);
    ctx.saveForBackward(y);
    return y;
  }
  // tanh' = 1 - tanh^2
  static backward(ctx: Context, g: Tensor) {
    const y = ctx.savedTensors[0];
    return g.mul(y.mul(y).neg().add(1));
  }
}

class PowScalar extends Function {
  static forward(ctx: Context<{ p: number }>, x: Tensor, p: number): Tensor {
    ctx.saveForBackward(x);
    ctx.state = { p };
    const dtype = Number.isInteger(p) ? x.dtype : resultType(x, scalarTensor(p, x.dtype));
    const out = empty(x.shape, dtype);
    kernels().powScalar(x.dataSync(), p, out.storage.data);
    return checkInt64Range('pow', out);
  }
  // d x^p = p x^(p-1) dx
  static backward(ctx: Context<{ p: number }>, g: Tensor) {
    const { p } = ctx.state;
    if (p === 0) return [g.mul(0), null];
    return [g.mul(ctx.savedTensors[0].pow(p - 1).mul(p)), null];
  }
}

type Bounds = { min: number; max: number };

class Clamp extends Function {
  static forward(ctx: Context<Bounds>, x: Tensor, min: number, max: number): Tensor {
    ctx.saveForBackward(x);
    ctx.state = { min, max };
    const out = empty(x.shape, x.dtype);
    kernels().clamp(x.dataSync(), min, max, out.storage.data);
    return out;
  }
  // The gradient passes where x lies within the bounds (inclusive), as in torch.
  static backward(ctx: Context<Bounds>, g: Tensor) {
    const [x] = ctx.savedTensors;
    const { min, max } = ctx.state;
    let inside = x.eq(x);
    if (min === min) inside = inside.logicalAnd(x.ge(min));
    if (max === max) inside = inside.logicalAnd(x.le(max));
    return [g.mul(inside), null, null];
  }
}

/** -x (torch.neg). */
export const neg = traced('neg', function neg(x: Tensor): Tensor {
  return Neg.apply(x);
});
/** e to the x (torch.exp). */
export const exp = traced('exp', function exp(x: Tensor): Tensor {
  return Exp.apply(x);
});
/** The natural logarithm (torch.log): -inf at 0, NaN below. */
export const log = traced('log', function log(x: Tensor): Tensor {
  return Log.apply(x);
});
/** log(1 + x), accurate for small x (torch.log1p). */
export const log1p = traced('log1p', function log1p(x: Tensor): Tensor {
  return Log1p.apply(x);
});
/** The square root (torch.sqrt): NaN below 0. */
export const sqrt = traced('sqrt', function sqrt(x: Tensor): Tensor {
  return Sqrt.apply(x);
});
/** The absolute value (torch.abs). */
export const abs = traced('abs', function abs(x: Tensor): Tensor {
  return Abs.apply(x);
});
/** max(x, 0) (torch.relu); its gradient at 0 is 0, as torch's. */
export const relu = traced('relu', function relu(x: Tensor): Tensor {
  return Relu.apply(x);
});
/** 1 / (1 + e^-x) (torch.sigmoid). */
export const sigmoid = traced('sigmoid', function sigmoid(x: Tensor): Tensor {
  return Sigmoid.apply(x);
});
/** The hyperbolic tangent (torch.tanh). */
export const tanh = traced('tanh', function tanh(x: Tensor): Tensor {
  return Tanh.apply(x);
});

/** Clamps into [min, max]; either bound may be omitted (null), not both. */
export const clamp = traced('clamp', function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  if ((min === undefined || min === null) && (max === undefined || max === null)) {
    throw new Error('clamp: at least one of min and max must be given');
  }
  const lo = min ?? NaN;
  const hi = max ?? NaN;
  if (Number.isNaN(min) || Number.isNaN(max)) throw new Error(`clamp: bounds must be numbers, got min=${min}, max=${max}`);
  return Clamp.apply(x, lo, hi);
});

// ---- selection ---------------------------------------------------------------------------------

class Where extends Function {
  static forward(ctx: Context<Shapes>, cond: Tensor, a: Tensor, b: Tensor): Tensor {
    ctx.saveForBackward(cond);
    ctx.state = { a: a.shape, b: b.shape };
    const shape = broadcastShapes('where', cond.shape, a.shape, b.shape);
    const out = empty(shape, resultType(a, b));
    kernels().where(broadcastView(cond, shape), broadcastView(a, shape), broadcastView(b, shape), shape, out.storage.data);
    return out;
  }
  static backward(ctx: Context<Shapes>, g: Tensor) {
    const [cond] = ctx.savedTensors;
    return [
      null,
      ctx.needsInputGrad[1] ? sumToShape(where(cond, g, 0), ctx.state.a) : null,
      ctx.needsInputGrad[2] ? sumToShape(where(cond, 0, g), ctx.state.b) : null,
    ];
  }
}

/** Elements of a where condition holds, else of b (torch.where). */
export const where = traced('where', function where(condition: Tensor, a: TensorOrScalar, b: TensorOrScalar): Tensor {
  if (condition.dtype !== 'bool') {
    throw new Error(`where: expected a bool condition, got ${condition.dtype}`);
  }
  const [x, y] = operands('where', a, b);
  return Where.apply(condition, x, y);
});

declare module '../tensor/tensor' {
  interface Tensor {
    /** this + other, broadcasting (torch.add). */
    add(other: TensorOrScalar): Tensor;
    /** this - other, broadcasting. */
    sub(other: TensorOrScalar): Tensor;
    /** this * other, broadcasting. */
    mul(other: TensorOrScalar): Tensor;
    /** this / other, broadcasting (true division: integers give float32). */
    div(other: TensorOrScalar): Tensor;
    /** this ** exponent. */
    pow(exponent: TensorOrScalar): Tensor;
    /** The larger of this and other elementwise, propagating NaN. */
    maximum(other: TensorOrScalar): Tensor;
    /** The smaller of this and other elementwise, propagating NaN. */
    minimum(other: TensorOrScalar): Tensor;
    /** this == other, as a bool tensor. */
    eq(other: TensorOrScalar): Tensor;
    /** this != other, as a bool tensor. */
    ne(other: TensorOrScalar): Tensor;
    /** this < other, as a bool tensor. */
    lt(other: TensorOrScalar): Tensor;
    /** this <= other, as a bool tensor. */
    le(other: TensorOrScalar): Tensor;
    /** this > other, as a bool tensor. */
    gt(other: TensorOrScalar): Tensor;
    /** this >= other, as a bool tensor. */
    ge(other: TensorOrScalar): Tensor;
    /** Elementwise logical and of nonzero values, as a bool tensor. */
    logicalAnd(other: TensorOrScalar): Tensor;
    /** Elementwise logical or of nonzero values, as a bool tensor. */
    logicalOr(other: TensorOrScalar): Tensor;
    /** -this. */
    neg(): Tensor;
    /** e ** this. */
    exp(): Tensor;
    /** Natural logarithm. */
    log(): Tensor;
    /** log(1 + x), accurate for small x. */
    log1p(): Tensor;
    /** Square root. */
    sqrt(): Tensor;
    /** Absolute value. */
    abs(): Tensor;
    /** max(this, 0). */
    relu(): Tensor;
    /** 1 / (1 + e ** -this). */
    sigmoid(): Tensor;
    /** Hyperbolic tangent. */
    tanh(): Tensor;
    /** Where this is NaN, as a bool tensor. */
    isnan(): Tensor;
    /** Clamps into [min, max]; either bound may be omitted (null), not both. */
    clamp(min?: number | null, max?: number | null): Tensor;
    /** torch's `x.where(condition, y)`: x where condition holds, else y. */
    where(condition: Tensor, other: TensorOrScalar): Tensor;
  }
}

defineMethods({
  add(other) {
    return add(this, other);
  },
  sub(other) {
    return sub(this, other);
  },
  mul(other) {
    return mul(this, other);
  },
  div(other) {
    return div(this, other);
  },
  pow(exponent) {
    return pow(this, exponent);
  },
  maximum(other) {
    return maximum(this, other);
  },
  minimum(other) {
    return minimum(this, other);
  },
  eq(other) {
    return eq(this, other);
  },
  ne(other) {
    return ne(this, other);
  },
  lt(other) {
    return lt(this, other);
  },
  le(other) {
    return le(this, other);
  },
  gt(other) {
    return gt(this, other);
  },
  ge(other) {
    return ge(this, other);
  },
  logicalAnd(other) {
    return logicalAnd(this, other);
  },
  logicalOr(other) {
    return logicalOr(this, other);
  },
  neg() {
    return neg(this);
  },
  exp() {
    return exp(this);
  },
  log() {
    return log(this);
  },
  log1p() {
    return log1p(this);
  },
  sqrt() {
    return sqrt(this);
  },
  abs() {
    return abs(this);
  },
  relu() {
    return relu(this);
  },
  sigmoid() {
    return sigmoid(this);
  },
  tanh() {
    return tanh(this);
  },
  isnan() {
    return isnan(this);
  },
  clamp(min, max) {
    return clamp(this, min, max);
  },
  where(condition, other) {
    return where(condition, this, other);
  },
});
