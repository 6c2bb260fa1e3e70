import { traced } from '../autograd/trace';
import { kernels, type MatrixOperand } from '../backend';
import { unsharedGradient } from '../autograd/accumulateGrad';
import { Context } from '../autograd/context';
import { Function } from '../autograd/function';
import { broadcastShapes, formatShape } from '../shape';
import { Tensor, defineMethods } from '../tensor/tensor';
import { empty, requireFloat, sumToShape } from './util';

/**
 * The last two dims of t as a GEMM operand: row-major, or transposed (a transposed view is
 * read in place, never copied); anything else is made contiguous first.
 */
function operand(t: Tensor, batchShape: readonly number[]): MatrixOperand {
  const n = t.ndim;
  const [rows, cols] = [t.shape[n - 2], t.shape[n - 1]];
  const [rs, cs] = [t.strides[n - 2], t.strides[n - 1]];
  let source = t;
  let transposed = false;
  if ((cs === 1 || cols === 1) && (rs === cols || rows === 1)) transposed = false;
  else if ((rs === 1 || rows === 1) && (cs === rows || cols === 1)) transposed = true;
  else source = t.contiguous();
  const lead = batchShape.length - (n - 2);
  const batchStrides = batchShape.map((_, d) => (d < lead || source.shape[d - lead] === 1 ? 0 : source.strides[d - lead]));
  return { data: source.storage.data, offset: source.offset, batchStrides, transposed };
}

/**
 * The batched product of tensors of rank >= 2 through the backend's GEMM, outside autograd,
 * plus a contiguous bias row (torch.addmm's) on every row when given.
 */
export function product(a: Tensor, b: Tensor, bias: Tensor | null = null): Tensor {
  const [m, k, n] = [a.shape[a.ndim - 2], a.shape[a.ndim - 1], b.shape[b.ndim - 1]];
  const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  const out = empty([...batch, m, n], a.dtype);
  kernels().matmul(operand(a, batch), operand(b, batch), bias?.dataSync() ?? null, out.storage.data, batch, m, k, n);
  return out;
}

class Matmul extends Function {
  static forward(ctx: Context, a: Tensor, b: Tensor): Tensor {
    ctx.saveForBackward(a, b);
    return product(a, b);
  }
  // C = AB: dA = dC B^T, dB = A^T dC, summed over broadcast batch dims. Both are fresh products
  // (or sums of them) held nowhere else, so a leaf may keep them as its .grad.
  static backward(ctx: Context, g: Tensor) {
    const [a, b] = ctx.savedTensors;
    return [
      ctx.needsInputGrad[0] ? unsharedGradient(sumToShape(g.matmul(b.transpose(-1, -2)), a.shape)) : null,
      ctx.needsInputGrad[1] ? unsharedGradient(sumToShape(a.transpose(-1, -2).matmul(g), b.shape)) : null,
    ];
  }
}

/**
 * Matrix product with torch.matmul's rules: 1-D operands are promoted to matrices and the added
 * dim removed after; leading dims broadcast as a batch.
 */
export const matmul = traced('matmul', function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new Error(`matmul: both arguments need at least 1 dimension, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  requireFloat('matmul', a, b);
  if (a.dtype !== b.dtype) throw new Error(`matmul: expected operands of the same dtype, got ${a.dtype} and ${b.dtype}`);
  const k = a.shape[a.ndim - 1];
  const kb = b.ndim === 1 ? b.shape[0] : b.shape[b.ndim - 2];
  if (k !== kb) {
    throw new Error(`matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} cannot be multiplied (${k} != ${kb})`);
  }
  const a2 = a.ndim === 1 ? a.unsqueeze(0) : a;
  const b2 = b.ndim === 1 ? b.unsqueeze(1) : b;
  let out = Matmul.apply(a2, b2);
  if (b.ndim === 1) out = out.squeeze(-1);
  if (a.ndim === 1) out = out.squeeze(a.ndim === 1 && b.ndim === 1 ? 0 : -2);
  return out;
});

declare module '../tensor/tensor' {
  interface Tensor {
    /** Matrix product with torch.matmul's broadcasting rules. */
    matmul(other: Tensor): Tensor;
  }
}

defineMethods({
  matmul(other) {
    return matmul(this, other);
  },
});
