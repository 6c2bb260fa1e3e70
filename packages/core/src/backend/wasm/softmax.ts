import { crossEntropyLosses } from '../cpu/loss';
import type { FastKernels } from '../kernels';
import { float32, type Arena } from './arena';

/**
 * (Log-)softmax and its backward over contiguous float32 rows (inner = 1), and the fused
 * cross-entropy's softmax (its per-sample losses are summed in JS, as the plain kernel does).
 */
export function softmaxKernels(arena: Arena): FastKernels {
  const kernels = arena.kernels;
  return {
    softmax: {
      supports: (x, _outer, _size, inner, out) => inner === 1 && float32(x, out),
      run(x, outer, size, _inner, out, log) {
        const n = outer * size;
        arena.run([[x, 0, n, 'in'], [out, 0, n, 'out']], ([xp, outp]) => kernels.softmaxRows(xp, outer, size, outp, log ? 1 : 0, 0));
      },
    },
    softmaxBackward: {
      supports: (y, gy, _outer, _size, inner, gx) => inner === 1 && float32(y, gy, gx),
      run(y, gy, outer, size, _inner, gx, log) {
        const n = outer * size;
        arena.run([[y, 0, n, 'in'], [gy, 0, n, 'in'], [gx, 0, n, 'out']], ([yp, gyp, gxp]) =>
          kernels.softmaxBackwardRows(yp, gyp, outer, size, gxp, log ? 1 : 0),
        );
      },
    },
    crossEntropyForward: {
      supports: (x, _targets, layout, _labelSmoothing, _loss, probs) => layout.inner === 1 && float32(x, probs),
      run(x, targets, layout, labelSmoothing, loss, probs) {
        const { outer: rows, classes } = layout;
        const lse = new Float64Array(rows);
        arena.run([[x, 0, rows * classes, 'in'], [probs, 0, rows * classes, 'out'], [lse, 0, rows, 'out']], ([xp, probsp, lsep]) =>
          kernels.softmaxRows(xp, rows, classes, probsp, 0, lsep),
        );
        return crossEntropyLosses(x, targets, layout, labelSmoothing, lse, loss);
      },
    },
  };
}
