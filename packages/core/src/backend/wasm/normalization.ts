import type { FastKernels } from '../kernels';
import type { Storage } from '../../dtype';
import { float32, type Arena, type Span } from './arena';

/**
 * Appends a span for each operand present (data, count, direction) and returns each one's index
 * among the spans, -1 for an absent one: absent operands get no buffer, and the kernel a null
 * pointer in their place.
 */
function optionalSpans(spans: Span[], operands: readonly (readonly [Storage | null, number, 'in' | 'out'])[]): number[] {
  return operands.map(([data, count, direction]) => {
    if (data === null) return -1;
    spans.push([data, 0, count, direction]);
    return spans.length - 1;
  });
}

/** Batch norm's statistics, normalization and gradients, and layer norm's, over float32 (assembly/normalization.ts). */
export function normalizationKernels(arena: Arena): FastKernels {
  const w = arena.kernels;
  return {
    channelStats: {
      supports: (x, _l, _eps, mean, invstd, variance) => float32(x, mean, invstd, variance),
      run(x, { outer, channels, inner }, eps, mean, invstd, variance) {
        arena.run([[x, 0, outer * channels * inner, 'in'], [mean, 0, channels, 'out'], [invstd, 0, channels, 'out'], [variance, 0, channels, 'out']], ([xp, mp, sp, vp]) =>
          w.channelStats(xp, outer, channels, inner, eps, mp, sp, vp),
        );
      },
    },
    channelAffine: {
      supports: (x, _l, scale, shift, out) => float32(x, scale, shift, out),
      run(x, { outer, channels, inner }, scale, shift, out) {
        const n = outer * channels * inner;
        arena.run([[x, 0, n, 'in'], [scale, 0, channels, 'in'], [shift, 0, channels, 'in'], [out, 0, n, 'out']], ([xp, ap, bp, op]) =>
          w.channelAffine(xp, outer, channels, inner, ap, bp, op),
        );
      },
    },
    batchNormBackward: {
      supports: (x, g, _l, mean, invstd, weight, _t, gx, gWeight, gBias) => float32(x, g, mean, invstd, weight, gx, gWeight, gBias),
      run(x, g, { outer, channels, inner }, mean, invstd, weight, training, gx, gWeight, gBias) {
        const n = outer * channels * inner;
        const spans: Span[] = [[x, 0, n, 'in'], [g, 0, n, 'in'], [mean, 0, channels, 'in'], [invstd, 0, channels, 'in']];
        const slots = optionalSpans(spans, [[weight, channels, 'in'], [gx, n, 'out'], [gWeight, channels, 'out'], [gBias, channels, 'out']]);
        arena.run(spans, (p) => {
          const [wp, gxp, gwp, gbp] = slots.map((slot) => (slot < 0 ? 0 : p[slot]));
          w.batchNormBackward(p[0], p[1], outer, channels, inner, p[2], p[3], wp, training ? 1 : 0, gxp, gwp, gbp);
        });
      },
    },
    layerNormForward: {
      supports: (x, _rows, _size, _eps, weight, bias, out, mean, rstd) => float32(x, weight, bias, out, mean, rstd),
      run(x, rows, size, eps, weight, bias, out, mean, rstd) {
        const spans: Span[] = [[x, 0, rows * size, 'in'], [out, 0, rows * size, 'out'], [mean, 0, rows, 'out'], [rstd, 0, rows, 'out']];
        const slots = optionalSpans(spans, [[weight, size, 'in'], [bias, size, 'in']]);
        arena.run(spans, (p) => {
          const [wp, bp] = slots.map((slot) => (slot < 0 ? 0 : p[slot]));
          w.layerNormForward(p[0], rows, size, eps, wp, bp, p[1], p[2], p[3]);
        });
      },
    },
    layerNormBackward: {
      supports: (x, g, _rows, _size, mean, rstd, weight, gx, gWeight, gBias) => float32(x, g, mean, rstd, weight, gx, gWeight, gBias),
      run(x, g, rows, size, mean, rstd, weight, gx, gWeight, gBias) {
        const n = rows * size;
        const spans: Span[] = [[x, 0, n, 'in'], [g, 0, n, 'in'], [mean, 0, rows, 'in'], [rstd, 0, rows, 'in']];
        const slots = optionalSpans(spans, [[weight, size, 'in'], [gx, n, 'out'], [gWeight, size, 'out'], [gBias, size, 'out']]);
        arena.run(spans, (p) => {
          const [wp, gxp, gwp, gbp] = slots.map((slot) => (slot < 0 ? 0 : p[slot]));
          w.layerNormBackward(p[0], p[1], rows, size, p[2], p[3], wp, gxp, gwp, gbp);
        });
      },
    },
  };
}
