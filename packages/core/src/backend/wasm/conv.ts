import type { FastKernels } from '../kernels';
import type { WindowGeometry } from '../types';
import { float32 } from './arena';
import { CHUNK, type Placement } from './gemm';
import { PANEL_COUNTER } from './threads';

// A one-group convolution inside wasm memory, one image at a time: each image's columns are
// unfolded into one buffer and fed straight to the packed GEMM (assembly/gemm.ts), so the
// batch's columns never exist at once and never cross into JavaScript. With two threads, each
// image's product is shared with the GEMM's worker, which claims column panels as matmul's does;
// a panel is computed whole by one thread, so the result is the same bits as on one.

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

/** B's operand of one product: its pointer, strides, and where its panels are packed (0: read in place). */
interface BOperand {
  b: number;
  rowStride: number;
  colStride: number;
  packedB: number;
}

/**
 * c (m x n) = packed A (m x k, 4-row panels at packedA) times B, on this thread or shared with the
 * worker. A is packed already, so the worker packs nothing (m = 0 in its packA); each thread
 * spills edge tiles to its own scratch.
 */
function product(p: Placement, b: BOperand, c: number, m: number, k: number, n: number, packedA: number, scratch: number, scratch2: number): void {
  const w = p.arena.kernels;
  if (p.worker === null) {
    w.gemmPanels(b.b, b.rowStride, b.colStride, 0, c, m, k, n, packedA, k * 16, 16, b.packedB, 0, Math.ceil(n / 8), scratch);
    return;
  }
  p.worker.begin([0, 0, k, 1, 1, 0], [b.b, b.rowStride, b.colStride, 0, c, m, k, n, packedA, k * 16, 16, b.packedB, PANEL_COUNTER, CHUNK, scratch2]);
  w.gemmShared(b.b, b.rowStride, b.colStride, 0, c, m, k, n, packedA, k * 16, 16, b.packedB, PANEL_COUNTER, CHUNK, scratch);
  p.worker.finish();
}

/** The one-group convolution kernels over float32 (the plain ones are in cpu/conv.ts), placed by `place` (see Gemm.placement). */
export function convKernels(place: () => Placement): FastKernels {
  /** im2col of one image at xPtr into colsPtr. */
  const unfoldImage = (p: Placement, g: WindowGeometry, xPtr: number, colsPtr: number) =>
    p.arena.kernels.im2col(xPtr, 1, g.channels, g.height, g.width, g.kernelH, g.kernelW, g.padH, g.padW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.outH, g.outW, colsPtr);

  return {
    conv2dForward: {
      supports: (x, weight, _g, _o, out) => float32(x, weight, out),
      run(x, weight, g, o, out) {
        const p = place();
        const { arena } = p;
        const { k, l, image, output } = sizes(g, o);
        // Columns of whole 8-wide panels are read in place; otherwise the GEMM packs them.
        const inPlace = l % 8 === 0;
        const [xPtr, wPtr, packedA, cols, c, packedB, scratch, scratch2] = arena.layout([
          g.batch * image * 4, o * k * 4, packedASize(o, k), k * l * 4, o * l * 4, inPlace ? 0 : packedBSize(l, k), 128, 128,
        ]);
        arena.put(x, 0, g.batch * image, xPtr);
        arena.put(weight, 0, o * k, wPtr);
        arena.kernels.packA(wPtr, o, k, k, 1, packedA);
        for (let n = 0; n < g.batch; n++) {
          unfoldImage(p, g, xPtr + n * image * 4, cols);
          product(p, { b: cols, rowStride: l, colStride: 1, packedB: inPlace ? 0 : packedB }, c, o, k, l, packedA, scratch, scratch2);
          arena.take(c, o * l, out, n * output);
        }
      },
    },
    conv2dWeightGrad: {
      supports: (x, gOut, _g, _o, gradWeight) => float32(x, gOut, gradWeight),
      run(x, gOut, g, o, gradWeight) {
        const p = place();
        const { arena } = p;
        const { k, l, image, output } = sizes(g, o);
        // gOut[n] (O, L) times the columns read transposed (L, K), which are always packed.
        const [xPtr, gPtr, packedA, cols, acc, part, packedB, scratch, scratch2] = arena.layout([
          g.batch * image * 4, g.batch * output * 4, packedASize(o, l), k * l * 4, o * k * 4, o * k * 4, packedBSize(k, l), 128, 128,
        ]);
        arena.put(x, 0, g.batch * image, xPtr);
        arena.put(gOut, 0, g.batch * output, gPtr);
        for (let n = 0; n < g.batch; n++) {
          unfoldImage(p, g, xPtr + n * image * 4, cols);
          arena.kernels.packA(gPtr + n * output * 4, o, l, l, 1, packedA);
          // The first image's product is the sum so far; the others are added to it, in order.
          product(p, { b: cols, rowStride: 1, colStride: l, packedB }, n === 0 ? acc : part, o, l, k, packedA, scratch, scratch2);
          if (n > 0) arena.kernels.binary_add(acc, part, 0, acc, o * k);
        }
        arena.take(acc, o * k, gradWeight);
      },
    },
    conv2dInputGrad: {
      supports: (weight, gOut, _g, _o, gradInput) => float32(weight, gOut, gradInput),
      run(weight, gOut, g, o, gradInput) {
        const p = place();
        const { arena } = p;
        const { k, l, image, output } = sizes(g, o);
        const inPlace = l % 8 === 0;
        const [wPtr, gPtr, packedA, cols, dx, packedB, scratch, scratch2] = arena.layout([
          o * k * 4, g.batch * output * 4, packedASize(k, o), k * l * 4, g.batch * image * 4, inPlace ? 0 : packedBSize(l, o), 128, 128,
        ]);
        arena.put(weight, 0, o * k, wPtr);
        arena.put(gOut, 0, g.batch * output, gPtr);
        // W^T (K, O): the weights (O, K) read transposed.
        arena.kernels.packA(wPtr, k, o, 1, k, packedA);
        for (let n = 0; n < g.batch; n++) {
          product(p, { b: gPtr + n * output * 4, rowStride: l, colStride: 1, packedB: inPlace ? 0 : packedB }, cols, k, o, l, packedA, scratch, scratch2);
          arena.kernels.col2im(cols, 1, g.channels, g.height, g.width, g.kernelH, g.kernelW, g.padH, g.padW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.outH, g.outW, dx + n * image * 4);
        }
        arena.take(dx, g.batch * image, gradInput);
      },
    },
  };
}
