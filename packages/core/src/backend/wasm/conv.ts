import type { FastKernels } from '../kernels';
import type { WindowGeometry } from '../types';
import { float32 } from './arena';
import { convSizes } from '../cpu/conv';
import { packedASize, packedBSize, shareWork, type Placement } from './gemm';

// A one-group convolution inside wasm memory (assembly/conv.ts): each image's columns are
// unfolded into a buffer of the thread that claimed the image and fed straight to the packed GEMM,
// so the batch's columns never exist at once and never cross into JavaScript. With two threads,
// each pass is handed to the worker once, and the two claim images (forward and input gradient)
// or the weight gradient's column panels from a shared counter; an output element is computed
// whole by one thread, so the result is the same bits as on one.

/** The geometry block assembly/conv.ts reads. */
const geometryBlock = (g: WindowGeometry) => [
  g.channels, g.height, g.width, g.kernelH, g.kernelW, g.padH, g.padW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.outH, g.outW,
];
const GEOMETRY_BYTES = 13 * 4;

/** Places work and lays out buffers for that many threads: Gemm.place for a convolution pass. */
export type PlaceWork = (work: number, sizes: (threads: number) => readonly number[]) => { placement: Placement; pointers: number[] };

/**
 * Places a pass of `work` multiply-adds and lays out its shared buffers (`shared` byte sizes), a
 * counter and the geometry block, then the buffers each thread has of its own (`own` byte sizes,
 * once per thread): the placement, the pointers, the counter's, the geometry's, and each thread's.
 */
function layOut(place: PlaceWork, g: WindowGeometry, work: number, shared: readonly number[], own: readonly number[]) {
  const { placement, pointers } = place(work, (threads) => [...shared, 4, GEOMETRY_BYTES, ...Array.from({ length: threads }, () => own).flat()]);
  const threads = placement.worker === null ? 1 : 2;
  const counter = pointers[shared.length];
  const geometry = pointers[shared.length + 1];
  placement.arena.putInts(geometryBlock(g), geometry);
  const buffers = (t: number) => pointers.slice(shared.length + 2 + t * own.length, shared.length + 2 + (t + 1) * own.length);
  return { placement, threads, pointers, counter, geometry, own: buffers(0), theirs: threads === 2 ? buffers(1) : [] };
}

/** The one-group convolution kernels over float32 (the plain ones are in cpu/conv.ts), placed by `place` (Gemm.place). */
export function convKernels(place: PlaceWork): FastKernels {
  return {
    conv2dForward: {
      supports: (x, weight, bias, _g, _o, out) => float32(x, weight, bias, out),
      run(x, weight, bias, g, o, out) {
        const { k, l, image, output } = convSizes(g, o);
        const s = layOut(place, g, g.batch * o * k * l, [g.batch * image * 4, o * k * 4, o * 4, packedASize(o, k), g.batch * output * 4], [k * l * 4, packedBSize(l, k), 128]);
        const [xPtr, wPtr, biasPtr, packedW, outPtr] = s.pointers;
        const { arena } = s.placement;
        arena.put(x, 0, g.batch * image, xPtr);
        arena.put(weight, 0, o * k, wPtr);
        if (bias !== null) arena.put(bias, 0, o, biasPtr);
        arena.kernels.packA(wPtr, o, k, k, 1, packedW);
        const args = [s.geometry, xPtr, packedW, bias === null ? 0 : biasPtr, o, outPtr, g.batch, s.counter];
        shareWork(s.placement, 'convForwardShared', s.counter, args, s.own, s.theirs);
        arena.take(outPtr, g.batch * output, out);
      },
    },
    conv2dWeightGrad: {
      supports: (x, gOut, _g, _o, gradWeight) => float32(x, gOut, gradWeight),
      run(x, gOut, g, o, gradWeight) {
        const { k, l, image, output } = convSizes(g, o);
        // gOut[n] (O, L) times the columns read transposed (L, K), which are always packed.
        const s = layOut(place, g, g.batch * o * k * l, [g.batch * image * 4, g.batch * output * 4, o * k * 4], [k * l * 4, packedASize(o, l), packedBSize(k, l), o * k * 4, 128]);
        const [xPtr, gPtr, acc] = s.pointers;
        const { arena } = s.placement;
        arena.put(x, 0, g.batch * image, xPtr);
        arena.put(gOut, 0, g.batch * output, gPtr);
        // Two threads take half the panels each: every claim repacks each image's gOut.
        const panels = Math.ceil(k / 8);
        const chunk = Math.ceil(panels / s.threads);
        shareWork(s.placement, 'convWeightGradShared', s.counter, [s.geometry, xPtr, gPtr, o, acc, g.batch, s.counter, chunk], s.own, s.theirs);
        arena.take(acc, o * k, gradWeight);
      },
    },
    conv2dInputGrad: {
      supports: (weight, gOut, _g, _o, gradInput) => float32(weight, gOut, gradInput),
      run(weight, gOut, g, o, gradInput) {
        const { k, l, image, output } = convSizes(g, o);
        const s = layOut(place, g, g.batch * o * k * l, [o * k * 4, g.batch * output * 4, packedASize(k, o), g.batch * image * 4], [k * l * 4, packedBSize(l, o), 128]);
        const [wPtr, gPtr, packedWt, dx] = s.pointers;
        const { arena } = s.placement;
        arena.put(weight, 0, o * k, wPtr);
        arena.put(gOut, 0, g.batch * output, gPtr);
        // W^T (K, O): the weights (O, K) read transposed.
        arena.kernels.packA(wPtr, k, o, 1, k, packedWt);
        shareWork(s.placement, 'convInputGradShared', s.counter, [s.geometry, packedWt, o, gPtr, dx, g.batch, s.counter], s.own, s.theirs);
        arena.take(dx, g.batch * image, gradInput);
      },
    },
  };
}
