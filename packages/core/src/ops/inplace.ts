import { kernels } from '../backend';
import { isGradEnabled, noGrad } from '../autograd/gradMode';
import { traceCall } from '../autograd/trace';
import { checkOptions } from '../options';
import { allocate, checkValue, isFloatingPoint, promoteTypes, type DType, type Storage } from '../dtype';
import { contiguousStrides, formatShape, sameShape } from '../shape';
import { fillBernoulli, fillNormal, fillUniform } from '../tensor/distributions';
import { defaultGenerator, type Generator } from '../tensor/random';
import { Tensor, defineMethods, type Scalar, type TensorOrScalar } from '../tensor/tensor';
import { toDtype } from './convert';
import { add, clamp, div, mul, sub } from './elementwise';

/**
 * Refuses in-place writes autograd could not account for: to a leaf that requires grad (as
 * torch refuses), and, in this version, to any tensor in a recorded graph.
 */
function checkWritable(op: string, self: Tensor, other?: TensorOrScalar): void {
  if (self.shape.some((size, d) => size > 1 && self.strides[d] === 0)) {
    throw new Error(
      `${op}: the tensor of shape ${formatShape(self.shape)} is an expanded view in which several elements share one memory location; call contiguous() or clone() first`,
    );
  }
  if (!isGradEnabled()) return;
  if (self.requiresGrad && self.isLeaf) {
    throw new Error(`${op}: a leaf tensor that requires grad is being used in an in-place operation; wrap it in noGrad() or use the out-of-place form`);
  }
  if (self.requiresGrad || (other instanceof Tensor && other.requiresGrad)) {
    throw new Error(`${op}: in-place operations on tensors that take part in autograd are not supported; use the out-of-place form`);
  }
}

/**
 * Computes compute(self, other) out of place, then writes it into self's storage (views
 * included); a trace sees one call of `op`.
 */
function inplace<T extends Tensor>(
  self: T,
  op: string,
  compute: (self: Tensor, other: TensorOrScalar) => Tensor,
  other: TensorOrScalar = self,
): T {
  return traceCall(op, [self, other], () => {
    checkWritable(op, self, other);
    const result = noGrad(() => compute(self, other));
    if (!sameShape(result.shape, self.shape)) {
      throw new Error(`${op}: the result of shape ${formatShape(result.shape)} does not fit the tensor of shape ${formatShape(self.shape)}`);
    }
    if (promoteTypes(result.dtype, self.dtype) !== self.dtype) {
      throw new Error(`${op}: result type ${result.dtype} can't be cast to the tensor's dtype ${self.dtype}`);
    }
    kernels().copy(result.strided(), self.strided(), self.shape);
    self.storage.version++;
    return self;
  });
}

function fill<T extends Tensor>(self: T, op: string, value: Scalar): T {
  return traceCall(op, [self, value], () => {
    checkWritable(op, self);
    const v = typeof value === 'boolean' ? Number(value) : value;
    checkValue(op, self.dtype, v);
    kernels().fill(self.strided(), self.shape, v);
    self.storage.version++;
    return self;
  });
}

/**
 * Fills self in place with values drawn into a contiguous buffer by `draw` (told whether self is
 * contiguous, since torch draws normals differently for strided destinations).
 */
function fillRandom<T extends Tensor>(self: T, op: string, draw: (data: Storage, dtype: DType, contiguous: boolean) => void): T {
  return traceCall(op, [self], () => {
    checkWritable(op, self);
    const data = allocate(self.dtype, self.numel());
    draw(data, self.dtype, self.isContiguous());
    kernels().copy({ data, offset: 0, strides: contiguousStrides(self.shape) }, self.strided(), self.shape);
    self.storage.version++;
    return self;
  });
}

function requireFloating(op: string, self: Tensor): void {
  if (!isFloatingPoint(self.dtype)) throw new Error(`${op}: expected a floating-point tensor, got ${self.dtype}`);
}

/** Options of the in-place random fills. */
export interface GeneratorOptions {
  /** The generator to draw from (default: the default generator). */
  generator?: Generator;
}

declare module '../tensor/tensor' {
  interface Tensor {
    /** this += other, in place. */
    add_(other: TensorOrScalar): this;
    /** this -= other, in place. */
    sub_(other: TensorOrScalar): this;
    /** this *= other, in place. */
    mul_(other: TensorOrScalar): this;
    /** this /= other, in place. */
    div_(other: TensorOrScalar): this;
    /** Clamps into [min, max] in place. */
    clamp_(min?: number | null, max?: number | null): this;
    /** Copies src (broadcast and converted to this dtype) into this tensor. */
    copy_(src: Tensor): this;
    /** Sets every element to value. */
    fill_(value: Scalar): this;
    /** Sets every element to 0. */
    zero_(): this;
    /** Fills with uniforms on [from, to), drawn as torch's uniform_ draws them. */
    uniform_(from?: number, to?: number, options?: GeneratorOptions): this;
    /** Fills with N(mean, std^2) values, drawn as torch's normal_ draws them. */
    normal_(mean?: number, std?: number, options?: GeneratorOptions): this;
    /** Fills with 1 with probability p, else 0, drawn as torch's bernoulli_(p) draws them. */
    bernoulli_(p?: number, options?: GeneratorOptions): this;
  }
}

defineMethods({
  add_(other) {
    return inplace(this, 'add_', add, other);
  },
  sub_(other) {
    return inplace(this, 'sub_', sub, other);
  },
  mul_(other) {
    return inplace(this, 'mul_', mul, other);
  },
  div_(other) {
    return inplace(this, 'div_', div, other);
  },
  clamp_(min, max) {
    return inplace(this, 'clamp_', (t) => clamp(t, min, max));
  },
  copy_(src) {
    return inplace(this, 'copy_', (t) => toDtype(src, t.dtype).expand(t.shape), src);
  },
  fill_(value) {
    return fill(this, 'fill_', value);
  },
  zero_() {
    return fill(this, 'zero_', 0);
  },
  uniform_(from = 0, to = 1, options = {}) {
    checkOptions('uniform_', options, ['generator']);
    requireFloating('uniform_', this);
    if (!(from <= to) || !Number.isFinite(to - from)) {
      throw new Error(`uniform_: expects a finite [from, to) range with from <= to, got from=${from}, to=${to}`);
    }
    return fillRandom(this, 'uniform_', (data, dtype) => fillUniform(data, dtype, from, to, options.generator ?? defaultGenerator));
  },
  normal_(mean = 0, std = 1, options = {}) {
    checkOptions('normal_', options, ['generator']);
    requireFloating('normal_', this);
    if (!(std >= 0) || !Number.isFinite(mean) || !Number.isFinite(std)) {
      throw new Error(`normal_: expects a finite mean and std >= 0, got mean=${mean}, std=${std}`);
    }
    return fillRandom(this, 'normal_', (data, dtype, contiguous) =>
      fillNormal(data, dtype, mean, std, options.generator ?? defaultGenerator, contiguous),
    );
  },
  bernoulli_(p = 0.5, options = {}) {
    checkOptions('bernoulli_', options, ['generator']);
    if (!(p >= 0 && p <= 1)) throw new Error(`bernoulli_: expects 0 <= p <= 1, got ${p}`);
    return fillRandom(this, 'bernoulli_', (data) => fillBernoulli(data, p, options.generator ?? defaultGenerator));
  },
});
