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

/** Runs shorter than this stay with the plain kernel: a call per run would cost more than it saves. */
const MIN_RUN = 64;

/**
 * Where b's strides are zero over the trailing dims (b broadcast there: a bias over channels, or
 * one value over everything) and not negative elsewhere, the output is runs of `inner` values
 * that each take one value of b: `from` is the first of those trailing dims. Null if b is not so,
 * or if its many runs are too short to pay.
 */
function trailingBroadcast(shape: readonly number[], strides: readonly number[]): { from: number; inner: number } | null {
  let from = shape.length;
  while (from > 0 && (strides[from - 1] === 0 || shape[from - 1] === 1)) from--;
  let inner = 1;
  for (let d = from; d < shape.length; d++) inner *= shape[d];
  if (strides.some((s) => s < 0) || (from > 0 && inner < MIN_RUN)) return null;
  return { from, inner };
}

/** b's index (from its offset) for each run of trailingBroadcast, in order: an odometer over the dims before `from`. */
function runIndex(shape: readonly number[], strides: readonly number[], from: number): Int32Array {
  let count = 1;
  for (let d = 0; d < from; d++) count *= shape[d];
  const index = new Int32Array(count);
  const at = new Array<number>(from).fill(0);
  for (let r = 0, i = 0; r < count; r++) {
    index[r] = i;
    for (let d = from - 1; d >= 0; d--) {
      i += strides[d];
      if (++at[d] < shape[d]) break;
      i -= strides[d] * shape[d];
      at[d] = 0;
    }
  }
  return index;
}

/**
 * Unary ops with a unary_<op> export, binary ops with a binary_<op> export (on dense float32
 * operands, b dense, one value, or broadcast over trailing dims), and ReLU's backward.
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
        binary.has(op) && float32(a.data, b.data, out) && isDense(shape, a.strides) && (isDense(shape, b.strides) || trailingBroadcast(shape, b.strides) !== null),
      run(op, a, b, shape, out) {
        const kernel = binary.get(op) as Elementwise;
        const n = out.length;
        if (isDense(shape, b.strides)) {
          arena.run([[a.data, a.offset, n, 'in'], [b.data, b.offset, n, 'in'], [out, 0, n, 'out']], ([ap, bp, outp]) => kernel(ap, bp, 0, outp, n));
          return;
        }
        // One kernel call per run, with b's value for that run as its scalar (one run when b is one value).
        const { from, inner } = trailingBroadcast(shape, b.strides) as { from: number; inner: number };
        const index = runIndex(shape, b.strides, from);
        const span = index.reduce((m, i) => Math.max(m, i), 0) + 1;
        arena.run([[a.data, a.offset, n, 'in'], [b.data, b.offset, span, 'in'], [out, 0, n, 'out']], ([ap, bp, outp]) => {
          for (let r = 0; r < index.length; r++) kernel(ap + 4 * r * inner, bp + 4 * index[r], 1, outp + 4 * r * inner, inner);
        });
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
