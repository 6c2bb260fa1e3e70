import type { FastKernels } from '../kernels';
import { float32, type Arena, type Span } from './arena';

/** Batch norm's statistics, normalization and gradients over float32 (assembly/normalization.ts). */
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
        // Absent operands get no buffer, and the kernel a null pointer in their place.
        const slots = ([[weight, channels, 'in'], [gx, n, 'out'], [gWeight, channels, 'out'], [gBias, channels, 'out']] as const).map(([data, count, direction]) => {
          if (data === null) return -1;
          spans.push([data, 0, count, direction]);
          return spans.length - 1;
        });
        arena.run(spans, (p) => {
          const [wp, gxp, gwp, gbp] = slots.map((slot) => (slot < 0 ? 0 : p[slot]));
          w.batchNormBackward(p[0], p[1], outer, channels, inner, p[2], p[3], wp, training ? 1 : 0, gxp, gwp, gbp);
        });
      },
    },
  };
}
