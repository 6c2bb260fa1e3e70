import type { FastKernels } from '../kernels';
import { float32, type Arena } from './arena';

/** Sums over float32 with at least four columns (a bias gradient's), four columns at a time. */
export function reduceKernels(arena: Arena): FastKernels {
  return {
    reduce: {
      supports: (op, x, _outer, _size, inner, out) => op === 'sum' && inner >= 4 && float32(x, out),
      run(_op, x, outer, size, inner, out) {
        arena.run([[x, 0, outer * size * inner, 'in'], [out, 0, outer * inner, 'out']], ([xp, outp]) =>
          arena.kernels.sumMiddle(xp, outer, size, inner, outp),
        );
      },
    },
  };
}
