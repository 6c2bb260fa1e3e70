import type { FastKernels } from '../kernels';
import { float32, type Arena } from './arena';

/**
 * Sums over float32: of the middle dim with at least four columns (a linear bias gradient's),
 * four columns at a time, or of rows (inner 1: a convolution's bias gradient over each image's
 * positions, into float32 or the float64 of a sum's first pass), four rows at a time.
 */
export function reduceKernels(arena: Arena): FastKernels {
  return {
    reduce: {
      supports: (op, x, _outer, _size, inner, out) =>
        op === 'sum' && float32(x) && ((inner >= 4 && float32(out)) || (inner === 1 && (float32(out) || out instanceof Float64Array))),
      run(_op, x, outer, size, inner, out) {
        arena.run([[x, 0, outer * size * inner, 'in'], [out, 0, outer * inner, 'out']], ([xp, outp]) => {
          if (inner === 1) arena.kernels.sumRows(xp, outer, size, outp, out instanceof Float64Array ? 1 : 0);
          else arena.kernels.sumMiddle(xp, outer, size, inner, outp);
        });
      },
    },
  };
}
