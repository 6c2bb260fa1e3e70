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

interface BroadcastRuns {
  /** Values per run. */
  inner: number;
  /** b's index (from its offset) for each run, in order. */
  index: Int32Array;
}

/**
 * The output as runs of `inner` values, each with one value of b, where b's strides are zero
 * over the trailing dims (b broadcast there) and not negative elsewhere; null if not so, or if
 * the runs are too short to pay.
 */
function broadcastRuns(shape: readonly number[], strides: readonly number[]): BroadcastRuns | null {
  let from = shape.length;
  while (from > 0 && (strides[from - 1] === 0 || shape[from - 1] === 1)) from--;
  let inner = 1;
  for (let d = from; d < shape.length; d++) inner *= shape[d];
  if (inner < MIN_RUN || strides.some((s) => s < 0)) return null;
  let count = 1;
  for (let d = 0; d < from; d++) count *= shape[d];
  const index = new Int32Array(count);
  const at = new Array<number>(from).fill(0);
  for (let r = 0, i = 0; r < count; r++) {
    index[r] = i;
    // The odometer over the leading dims, b's index following it.
    for (let d = from - 1; d >= 0; d--) {
      i += strides[d];
      if (++at[d] < shape[d]) break;
      i -= strides[d] * shape[d];
      at[d] = 0;
    }
  }
  return { inner, index };
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
        binary.has(op) && float32(a.data, b.data, out) && isDense(shape, a.strides) &&
        (b.strides.every((s) => s === 0) || isDense(shape, b.strides) || broadcastRuns(shape, b.strides) !== null),
      run(op, a, b, shape, out) {
        const kernel = binary.get(op) as Elementwise;
        const n = out.length;
        const bScalar = b.strides.every((s) => s === 0);
        if (bScalar || isDense(shape, b.strides)) {
          arena.run([[a.data, a.offset, n, 'in'], [b.data, b.offset, bScalar ? 1 : n, 'in'], [out, 0, n, 'out']], ([ap, bp, outp]) =>
            kernel(ap, bp, bScalar ? 1 : 0, outp, n),
          );
          return;
        }
        // b broadcast over the trailing dims (a bias over channels): one kernel call per run,
        // with b's value for that run as its scalar.
        const { inner, index } = broadcastRuns(shape, b.strides) as BroadcastRuns;
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
