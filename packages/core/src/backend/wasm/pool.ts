import type { FastKernels } from '../kernels';
import { float32, type Arena } from './arena';

/** Max pooling forward (values and float64 indices) and backward over float32 (assembly/pool.ts). */
export function poolKernels(arena: Arena): FastKernels {
  const w = arena.kernels;
  return {
    maxPool2dForward: {
      supports: (x, _g, out, indices) => float32(x, out) && indices instanceof Float64Array,
      run(x, g, out, indices) {
        const n = g.batch * g.channels * g.outH * g.outW;
        arena.run([[x, 0, g.batch * g.channels * g.height * g.width, 'in'], [out, 0, n, 'out'], [indices, 0, n, 'out']], ([xp, outp, ip]) =>
          w.maxPool2dForward(xp, g.batch, g.channels, g.height, g.width, g.kernelH, g.kernelW, g.padH, g.padW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.outH, g.outW, outp, ip),
        );
      },
    },
    maxPool2dBackward: {
      supports: (gOut, indices, _g, gradInput) => float32(gOut, gradInput) && indices instanceof Float64Array,
      run(gOut, indices, g, gradInput) {
        const planes = g.batch * g.channels;
        const [plane, outputs] = [g.height * g.width, g.outH * g.outW];
        arena.run([[gOut, 0, planes * outputs, 'in'], [indices, 0, planes * outputs, 'in'], [gradInput, 0, planes * plane, 'out']], ([gp, ip, dp]) =>
          w.maxPool2dBackward(gp, ip, planes, plane, outputs, dp),
        );
      },
    },
  };
}
