import type { FastKernels } from '../kernels';
import type { Storage } from '../../dtype';
import type { AverageWindows, PoolWindows } from '../types';
import { float32, type Arena } from './arena';

/** Pooling windows as the kernels read them: row bounds, column bounds, then any divisors, as float64s. */
function windowTable({ rows, cols }: PoolWindows, divisors: readonly number[] = []): Float64Array {
  return Float64Array.from([...rows, ...cols, ...divisors]);
}

/** Runs an average-pooling kernel from `from` (the images, or the pooled values when `backward`) into `to`. */
function averagePool(arena: Arena, kernel: 'averagePool2dForward' | 'averagePool2dBackward', from: Storage, windows: AverageWindows, to: Storage, backward: boolean): void {
  const { planes, height, width, outH, outW } = windows;
  const [images, pooled] = [planes * height * width, planes * outH * outW];
  const table = windowTable(windows, windows.divisors);
  arena.run([[from, 0, backward ? pooled : images, 'in'], [table, 0, table.length, 'in'], [to, 0, backward ? images : pooled, 'out']], ([fp, tp, op]) =>
    arena.kernels[kernel](fp, planes, height, width, outH, outW, tp, op),
  );
}

/** Max pooling forward (values and float64 indices; plain and adaptive) and backward, and average pooling, over float32 (assembly/pool.ts). */
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
    adaptiveMaxPool2dForward: {
      supports: (x, _w, out, indices) => float32(x, out) && indices instanceof Float64Array,
      run(x, windows, out, indices) {
        const { planes, height, width, outH, outW } = windows;
        const n = planes * outH * outW;
        const table = windowTable(windows);
        arena.run([[x, 0, planes * height * width, 'in'], [table, 0, table.length, 'in'], [out, 0, n, 'out'], [indices, 0, n, 'out']], ([xp, tp, outp, ip]) =>
          w.adaptiveMaxPool2dForward(xp, planes, height, width, outH, outW, tp, outp, ip),
        );
      },
    },
    maxPool2dBackward: {
      supports: (gOut, indices, _planes, _inputs, _outputs, gradInput) => float32(gOut, gradInput) && indices instanceof Float64Array,
      run(gOut, indices, planes, inputs, outputs, gradInput) {
        arena.run([[gOut, 0, planes * outputs, 'in'], [indices, 0, planes * outputs, 'in'], [gradInput, 0, planes * inputs, 'out']], ([gp, ip, dp]) =>
          w.maxPool2dBackward(gp, ip, planes, inputs, outputs, dp),
        );
      },
    },
    // Forward reads the images and writes the pooled values; backward the other way round.
    averagePool2dForward: {
      supports: (x, _w, out) => float32(x, out),
      run: (x, windows, out) => averagePool(arena, 'averagePool2dForward', x, windows, out, false),
    },
    averagePool2dBackward: {
      supports: (gOut, _w, gradInput) => float32(gOut, gradInput),
      run: (gOut, windows, gradInput) => averagePool(arena, 'averagePool2dBackward', gOut, windows, gradInput, true),
    },
  };
}
