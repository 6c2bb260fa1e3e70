import type { FastKernels } from '../kernels';
import type { WindowGeometry } from '../types';
import { float32, type Arena } from './arena';

// A one-group convolution inside wasm memory, one image at a time: each image's columns are
// unfolded into one buffer and fed straight to the packed GEMM (assembly/gemm.ts), so the
// batch's columns never exist at once and never cross into JavaScript.

/** Sizes of one image's problem, and the bytes its buffers take. */
function sizes(g: WindowGeometry, outChannels: number) {
  const k = g.channels * g.kernelH * g.kernelW;
  const l = g.outH * g.outW;
  return { k, l, image: g.channels * g.height * g.width, output: outChannels * l };
}

/** Bytes of A packed into 4-row panels (m rows, depth k). */
const packedASize = (m: number, k: number) => Math.ceil(m / 4) * 4 * k * 4;
/** Bytes of B packed into 8-column panels (n columns, depth k). */
const packedBSize = (n: number, k: number) => Math.ceil(n / 8) * 8 * k * 4;

/** The one-group convolution kernels over float32 (the plain ones are in cpu/conv.ts). */
export function convKernels(arena: Arena): FastKernels {
  const w = arena.kernels;
  /** im2col of image n at xPtr into colsPtr, as the kernel takes the geometry of one image. */
  const unfoldImage = (g: WindowGeometry, xPtr: number, colsPtr: number) =>
    w.im2col(xPtr, 1, g.channels, g.height, g.width, g.kernelH, g.kernelW, g.padH, g.padW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.outH, g.outW, colsPtr);

  return {
    conv2dForward: {
      supports: (x, weight, _g, _o, out) => float32(x, weight, out),
      run(x, weight, g, o, out) {
        const { k, l, image, output } = sizes(g, o);
        const panels = Math.ceil(l / 8);
        // Columns of whole 8-wide panels are read in place; otherwise gemmPanels packs them.
        const inPlace = l % 8 === 0;
        const [xPtr, wPtr, packedA, cols, c, packedB, scratch] = arena.layout([
          g.batch * image * 4, o * k * 4, packedASize(o, k), k * l * 4, o * l * 4, inPlace ? 0 : packedBSize(l, k), 128,
        ]);
        arena.put(x, 0, g.batch * image, xPtr);
        arena.put(weight, 0, o * k, wPtr);
        w.packA(wPtr, o, k, k, 1, packedA);
        for (let n = 0; n < g.batch; n++) {
          unfoldImage(g, xPtr + n * image * 4, cols);
          w.gemmPanels(cols, l, 1, 0, c, o, k, l, packedA, k * 16, 16, inPlace ? 0 : packedB, 0, panels, scratch);
          arena.take(c, o * l, out, n * output);
        }
      },
    },
    conv2dWeightGrad: {
      supports: (x, gOut, _g, _o, gradWeight) => float32(x, gOut, gradWeight),
      run(x, gOut, g, o, gradWeight) {
        const { k, l, image, output } = sizes(g, o);
        // gOut[n] (O, L) times the columns read transposed (L, K), which are always packed.
        const [xPtr, gPtr, packedA, cols, acc, part, packedB, scratch] = arena.layout([
          g.batch * image * 4, g.batch * output * 4, packedASize(o, l), k * l * 4, o * k * 4, o * k * 4, packedBSize(k, l), 128,
        ]);
        arena.put(x, 0, g.batch * image, xPtr);
        arena.put(gOut, 0, g.batch * output, gPtr);
        for (let n = 0; n < g.batch; n++) {
          unfoldImage(g, xPtr + n * image * 4, cols);
          w.packA(gPtr + n * output * 4, o, l, l, 1, packedA);
          // The first image's product is the sum so far; the others are added to it, in order.
          w.gemmPanels(cols, 1, l, 0, n === 0 ? acc : part, o, l, k, packedA, l * 16, 16, packedB, 0, Math.ceil(k / 8), scratch);
          if (n > 0) w.binary_add(acc, part, 0, acc, o * k);
        }
        arena.take(acc, o * k, gradWeight);
      },
    },
    conv2dInputGrad: {
      supports: (weight, gOut, _g, _o, gradInput) => float32(weight, gOut, gradInput),
      run(weight, gOut, g, o, gradInput) {
        const { k, l, image, output } = sizes(g, o);
        const inPlace = l % 8 === 0;
        const [wPtr, gPtr, packedA, cols, dx, packedB, scratch] = arena.layout([
          o * k * 4, g.batch * output * 4, packedASize(k, o), k * l * 4, g.batch * image * 4, inPlace ? 0 : packedBSize(l, o), 128,
        ]);
        arena.put(weight, 0, o * k, wPtr);
        arena.put(gOut, 0, g.batch * output, gPtr);
        // W^T (K, O): the weights (O, K) read transposed.
        w.packA(wPtr, k, o, 1, k, packedA);
        for (let n = 0; n < g.batch; n++) {
          w.gemmPanels(gPtr + n * output * 4, l, 1, 0, cols, k, o, l, packedA, o * 16, 16, inPlace ? 0 : packedB, 0, Math.ceil(l / 8), scratch);
          w.col2im(cols, 1, g.channels, g.height, g.width, g.kernelH, g.kernelW, g.padH, g.padW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.outH, g.outW, dx + n * image * 4);
        }
        arena.take(dx, g.batch * image, gradInput);
      },
    },
  };
}
