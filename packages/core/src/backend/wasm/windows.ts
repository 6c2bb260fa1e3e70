import type { FastKernels } from '../kernels';
import type { WindowGeometry } from '../types';
import { float32, type Arena } from './arena';
import type { KernelExports } from './kernelsModule';

/** Runs im2col or col2im (the same parameters) from src to dst over the geometry. */
function runWindows(kernel: KernelExports['im2col'], src: number, g: WindowGeometry, dst: number): void {
  kernel(src, g.batch, g.channels, g.height, g.width, g.kernelH, g.kernelW, g.padH, g.padW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.outH, g.outW, dst);
}

/** im2col and col2im over float32 (assembly/windows.ts). */
export function windowKernels(arena: Arena): FastKernels {
  const kernels = arena.kernels;
  const imageSize = (g: WindowGeometry) => g.batch * g.channels * g.height * g.width;
  const columnsSize = (g: WindowGeometry) => g.batch * g.channels * g.kernelH * g.kernelW * g.outH * g.outW;
  return {
    im2col: {
      supports: (x, _g, out) => float32(x, out),
      run(x, g, out) {
        arena.run([[x, 0, imageSize(g), 'in'], [out, 0, columnsSize(g), 'out']], ([xp, outp]) => runWindows(kernels.im2col, xp, g, outp));
      },
    },
    col2im: {
      supports: (cols, _g, out) => float32(cols, out),
      run(cols, g, out) {
        arena.run([[cols, 0, columnsSize(g), 'in'], [out, 0, imageSize(g), 'out']], ([cp, outp]) => runWindows(kernels.col2im, cp, g, outp));
      },
    },
  };
}
