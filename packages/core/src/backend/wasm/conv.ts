import type { Storage } from '../../dtype';
import type { FastKernels } from '../kernels';
import type { WindowGeometry } from '../types';
import { float32 } from './arena';
import { convSizes } from '../cpu/conv';
import { packedASize, packedBSize, shareWork, type Placement } from './gemm';

// A convolution inside wasm memory (assembly/conv.ts): each image's columns are unfolded into a
// buffer of the thread that claimed the image and fed straight to the packed GEMM, so the batch's
// columns never exist at once and never cross into JavaScript. With two threads, each pass is
// handed to the worker once, and the two claim images of one group (forward and input gradient)
// or runs of a group's weight-gradient column panels from a shared counter; an output element is
// computed whole by one thread, so the result is the same bits as on one.

/**
 * Output channels per group below which passes walk the windows instead of the packed GEMM
 * (assembly/conv.ts thinForward and the rest): the walk costs a pass over the windows per output
 * channel, while a packed panel has 4 rows, which one or two channels leave mostly padding (with
 * three the product is as fast or faster).
 */
const THIN = 3;

/** How far a kernel reaches past its first element, down and across: dilation times (size - 1). */
const extents = (g: WindowGeometry) => [g.dilationH * (g.kernelH - 1), g.dilationW * (g.kernelW - 1)];

/**
 * Rows and columns of the padded planes that thin passes and direct products with unit strides
 * read their windows from (assembly/conv.ts): the image padded on both sides (forward and weight
 * gradient), or the output gradient shifted down and across by the kernel's extent (input gradient).
 */
function paddedPlane(g: WindowGeometry, gradient: boolean): [rows: number, cols: number] {
  const [extentH, extentW] = extents(g);
  return gradient ? [g.height + g.padH + extentH, g.width + g.padW + extentW] : [g.height + 2 * g.padH, g.width + 2 * g.padW];
}

/** Bytes of `planes` padded planes, with the 32 bytes a row's last outputs may read past its end. */
function paddedBytes(g: WindowGeometry, planes: number, gradient: boolean): number {
  const [rows, cols] = paddedPlane(g, gradient);
  return planes * rows * cols * 4 + 32;
}

/**
 * The byte offsets, one per column row (an input channel or, for the input gradient, an output
 * channel, then a kernel element), of the value that row holds for an output at (q, x) relative
 * to (q, x) in the padded planes: what assembly/conv.ts directProduct reads the columns by.
 * Forward, row (c, ki, kj) reads the padded image at (q + ki dilationH, x + kj dilationW);
 * for the input gradient, row (o, ki, kj) of pixel (h, w) reads the shifted output gradient at
 * (h + padH + extentH - ki dilationH, w + padW + extentW - kj dilationW).
 */
function columnOffsets(g: WindowGeometry, planes: number, inputGrad: boolean): Int32Array {
  const [extentH, extentW] = extents(g);
  const [rows, cols] = paddedPlane(g, inputGrad);
  const offsets = new Int32Array(planes * g.kernelH * g.kernelW);
  for (let p = 0, r = 0; p < planes; p++) {
    for (let ki = 0; ki < g.kernelH; ki++) {
      for (let kj = 0; kj < g.kernelW; kj++, r++) {
        const [h, w] = inputGrad ? [g.padH + extentH - ki * g.dilationH, g.padW + extentW - kj * g.dilationW] : [ki * g.dilationH, kj * g.dilationW];
        offsets[r] = ((p * rows + h) * cols + w) * 4;
      }
    }
  }
  return offsets;
}

/**
 * Each group's weights (o, channels, taps) as (channels, o, taps): the input gradient's A, row c
 * holding what output channel o's kernel element t gives back to input channel c.
 */
function perInputChannel(weight: Storage, groups: number, o: number, channels: number, taps: number): Float32Array {
  const out = new Float32Array(weight.length);
  for (let group = 0; group < groups; group++) {
    for (let i = 0; i < o; i++) {
      for (let c = 0; c < channels; c++) {
        const from = ((group * o + i) * channels + c) * taps;
        out.set(weight.subarray(from, from + taps), ((group * channels + c) * o + i) * taps);
      }
    }
  }
  return out;
}

/** Whether both strides are 1: where the windows are read from padded planes (assembly/conv.ts). */
const unitStrides = (g: WindowGeometry) => g.strideH === 1 && g.strideW === 1;

/**
 * Whether a pass of m output rows, `depth` deep, over rows of `width` positions runs as direct
 * products on the padded planes (assembly/conv.ts directProduct) rather than unfolded, packed
 * columns: with unit strides, at least two 4-row panels, a depth deeper than one channel's 3x3
 * kernel (a first layer's) and shallow enough that a tile's B (two cache lines a row) stays in
 * the first-level cache, and rows of at least a tile's 8 positions. Measured on BENCHMARKS.md's
 * machine: where these fail, the packed product is as fast or faster.
 */
const directPays = (g: WindowGeometry, m: number, depth: number, width: number) => unitStrides(g) && m >= 8 && depth >= 16 && depth <= 320 && width >= 8;

/** The geometry block assembly/conv.ts reads, with the channels of one group. */
const geometryBlock = (g: WindowGeometry, channels: number) => [
  channels, g.height, g.width, g.kernelH, g.kernelW, g.padH, g.padW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.outH, g.outW,
];
const GEOMETRY_BYTES = 13 * 4;

/** Places work and lays out buffers for that many threads: Gemm.place for a convolution pass. */
export type PlaceWork = (work: number, sizes: (threads: number) => readonly number[]) => { placement: Placement; pointers: number[] };

/**
 * Places a pass of `work` multiply-adds and lays out its shared buffers (`shared` byte sizes), a
 * counter and the geometry block, then the buffers each thread has of its own (`own` byte sizes,
 * once per thread): the placement, the pointers, the counter's, the geometry's, and each thread's.
 */
function layOut(place: PlaceWork, g: WindowGeometry, channels: number, work: number, shared: readonly number[], own: readonly number[]) {
  const { placement, pointers } = place(work, (threads) => [...shared, 4, GEOMETRY_BYTES, ...Array.from({ length: threads }, () => own).flat()]);
  const threads = placement.worker === null ? 1 : 2;
  const counter = pointers[shared.length];
  const geometry = pointers[shared.length + 1];
  placement.arena.putInts(geometryBlock(g, channels), geometry);
  const buffers = (t: number) => pointers.slice(shared.length + 2 + t * own.length, shared.length + 2 + (t + 1) * own.length);
  return { placement, threads, pointers, counter, geometry, own: buffers(0), theirs: threads === 2 ? buffers(1) : [] };
}

/** The convolution kernels over float32 (the plain ones are in cpu/conv.ts), placed by `place` (Gemm.place). */
export function convKernels(place: PlaceWork): FastKernels {
  return {
    conv2dForward: {
      supports: (x, weight, bias, _g, _o, _groups, out) => float32(x, weight, bias, out),
      run(x, weight, bias, g, outChannels, groups, out) {
        const { k, l, images, image, output, o, channels } = convSizes(g, outChannels, groups);
        const thin = o < THIN;
        const direct = !thin && directPays(g, o, k, g.outW);
        const packed = thin ? 0 : packedASize(o, k);
        const own = thin || direct ? [paddedBytes(g, channels, false), 0, 128] : [k * l * 4, packedBSize(l, k), 128];
        const s = layOut(place, g, channels, images * o * k * l, [images * image * 4, outChannels * k * 4, outChannels * 4, groups * packed, images * output * 4, direct ? k * 4 : 0], own);
        const [xPtr, wPtr, biasPtr, packedW, outPtr, offsets] = s.pointers;
        const { arena } = s.placement;
        arena.put(x, 0, images * image, xPtr);
        arena.put(weight, 0, outChannels * k, wPtr);
        if (bias !== null) arena.put(bias, 0, outChannels, biasPtr);
        if (!thin) for (let group = 0; group < groups; group++) arena.kernels.packA(wPtr + group * o * k * 4, o, k, k, 1, packedW + group * packed);
        if (direct) arena.putInts(columnOffsets(g, channels, false), offsets);
        const args = [s.geometry, xPtr, thin ? wPtr : packedW, bias === null ? 0 : biasPtr, o, outPtr, images, groups, s.counter, thin ? 1 : 0, direct ? offsets : 0];
        shareWork(s.placement, 'convForwardShared', s.counter, args, s.own, s.theirs);
        arena.take(outPtr, images * output, out);
      },
    },
    conv2dBackward: {
      supports: (x, weight, gOut, _g, _o, _groups, gradInput, gradWeight, gradBias) => float32(x, weight, gOut, gradInput, gradWeight, gradBias),
      run(x, weight, gOut, g, outChannels, groups, gradInput, gradWeight, gradBias) {
        const { k, l, images, image, output, o, channels } = convSizes(g, outChannels, groups);
        const passes = (gradInput === null ? 0 : 1) + (gradWeight === null ? 0 : 1);
        const thin = o < THIN;
        const taps = g.kernelH * g.kernelW;
        const direct = !thin && directPays(g, channels, o * taps, g.width);
        // The input gradient's A: W^T (K, O/G) per group for the GEMM, or (C/G, O/G * taps) for direct products.
        const packed = thin ? 0 : direct ? packedASize(channels, o * taps) : packedASize(k, o);
        const [paddedImage, paddedGradient] = [paddedBytes(g, channels, false), paddedBytes(g, o, true)];
        // Shared: gOut, then the input gradient's weights, packed W^T per group and dx, then the
        // weight gradient's images and sums, then the bias gradient. Each thread's own: one
        // image's columns, a packed B big enough for either pass, gOut packed as A, the weight
        // gradient's per-image part, and a scratch tile (thin passes need only padded planes, in the first).
        const s = layOut(place, g, channels, passes * images * o * k * l, [
          images * output * 4, outChannels * k * 4, groups * packed, images * image * 4, images * image * 4, outChannels * k * 4, outChannels * 4, direct ? o * taps * 4 : 0,
        ], thin ? [Math.max(paddedImage, paddedGradient), 0, 0, 0, 0] : [Math.max(k * l * 4, direct ? paddedGradient : 0), Math.max(packedBSize(l, o), packedBSize(k, l)), packedASize(o, l), o * k * 4, 128]);
        const [gPtr, wPtr, packedWt, dx, xPtr, acc, biasPtr, offsets] = s.pointers;
        const { arena } = s.placement;
        arena.put(gOut, 0, images * output, gPtr);
        const [cols, packedB, packedA, part, scratch] = [0, 1, 2, 3, 4];
        const pick = (buffers: readonly number[], which: readonly number[]) => (buffers.length === 0 ? [] : which.map((i) => buffers[i]));
        if (gradInput !== null) {
          if (direct) {
            arena.put(perInputChannel(weight, groups, o, channels, taps), 0, outChannels * k, wPtr);
            for (let group = 0; group < groups; group++) arena.kernels.packA(wPtr + group * k * o * 4, channels, o * taps, o * taps, 1, packedWt + group * packed);
            arena.putInts(columnOffsets(g, o, true), offsets);
          } else {
            arena.put(weight, 0, outChannels * k, wPtr);
            // W[group]^T (K, O/G): each group's weights (O/G, K) read transposed.
            if (!thin) for (let group = 0; group < groups; group++) arena.kernels.packA(wPtr + group * o * k * 4, k, o, 1, k, packedWt + group * packed);
          }
          const own = [cols, packedB, scratch];
          const args = [s.geometry, thin ? wPtr : packedWt, o, gPtr, dx, images, groups, s.counter, thin ? 1 : 0, direct ? offsets : 0];
          shareWork(s.placement, 'convInputGradShared', s.counter, args, pick(s.own, own), pick(s.theirs, own));
          arena.take(dx, images * image, gradInput);
        }
        if (gradWeight !== null) {
          arena.put(x, 0, images * image, xPtr);
          // With fewer groups than threads, each group's panels are split in as many runs: every
          // claim repacks each image's gOut.
          const panels = Math.ceil(k / 8);
          const chunk = groups >= s.threads ? panels : Math.ceil(panels / s.threads);
          const own = [cols, packedA, packedB, part, scratch];
          const args = [s.geometry, xPtr, gPtr, o, acc, g.batch, groups, s.counter, chunk, thin ? 1 : 0];
          shareWork(s.placement, 'convWeightGradShared', s.counter, args, pick(s.own, own), pick(s.theirs, own));
          arena.take(acc, outChannels * k, gradWeight);
        }
        if (gradBias !== null) {
          arena.kernels.convBiasGrad(gPtr, o, l, images, groups, biasPtr);
          arena.take(biasPtr, outChannels, gradBias);
        }
      },
    },
  };
}
