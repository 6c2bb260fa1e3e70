import { isDense } from '../../shape';
import type { BinaryOp, UnaryOp } from '../cpu';
import type { FastKernels } from '../kernels';
import type { KernelExports } from './kernelsModule';
import { float32, type Arena } from './arena';

type Elementwise = (...pointers: number[]) => void;

/** The module's kernels named `${prefix}<op>`, by op (see assembly/unary.ts and elementwise.ts). */
function kernelsNamed(kernels: KernelExports, prefix: string): Map<string, Elementwise> {
  const found = new Map<string, Elementwise>();
  for (const [name, kernel] of Object.entries(kernels)) {
    if (name.startsWith(prefix) && typeof kernel === 'function') found.set(name.slice(prefix.length), kernel as Elementwise);
  }
  return found;
}

/**
 * Unary ops with a unary_<op> export, binary ops with a binary_<op> export (on dense float32
 * operands, b possibly one value broadcast), and ReLU's backward.
 */
export function elementwiseKernels(arena: Arena): FastKernels {
  const kernels: KernelExports = arena.kernels;
  const unary = kernelsNamed(kernels, 'unary_');
  const binary = kernelsNamed(kernels, 'binary_');
  return {
    unary: {
      supports: (op: UnaryOp, x, out) => float32(x, out) && unary.has(op),
      run(op, x, out) {
        const kernel = unary.get(op) as Elementwise;
        const n = x.length;
        arena.run([[x, 0, n, 'in'], [out, 0, n, 'out']], ([xp, outp]) => kernel(xp, outp, n));
      },
    },
    binary: {
      supports: (op: BinaryOp, a, b, shape, out) =>
        binary.has(op) && float32(a.data, b.data, out) && isDense(shape, a.strides) &&
        (b.strides.every((s) => s === 0) || isDense(shape, b.strides)),
      run(op, a, b, _shape, out) {
        const kernel = binary.get(op) as Elementwise;
        const bScalar = b.strides.every((s) => s === 0);
        const n = out.length;
        arena.run([[a.data, a.offset, n, 'in'], [b.data, b.offset, bScalar ? 1 : n, 'in'], [out, 0, n, 'out']], ([ap, bp, outp]) =>
          kernel(ap, bp, bScalar ? 1 : 0, outp, n),
        );
      },
    },
    reluBackward: {
      supports: (g, y, out) => float32(g, y, out),
      run(g, y, out) {
        const n = g.length;
        arena.run([[g, 0, n, 'in'], [y, 0, n, 'in'], [out, 0, n, 'out']], ([gp, yp, outp]) => kernels.reluBackward(gp, yp, outp, n));
      },
    },
  };
}
