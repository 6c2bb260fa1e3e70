// Whole passes of a 2-D convolution over float32, on the packed GEMM (gemm.ts), for
// one thread or for two side by side: each thread claims work from a shared counter (claim.ts)
// and unfolds what it claims into its own buffers, so the batch's columns never exist at once.
// Every output element is computed by one thread, with the sums of the one-thread order, so two
// threads give the same bits as one.
//
// The geometry is a block of i32 at `geometry`: channels, height, width, kernelH, kernelW, padH,
// padW, strideH, strideW, dilationH, dilationW, outH, outW, with the channels of one group. A
// batch of N images of `groups` groups is then N * groups images of one group each, image b of
// group b % groups (the channels of a group are contiguous), and so are the outputs; outChannels
// counts one group's. Images are (images, channels, height, width); outputs and output gradients
// (images, outChannels, outH * outW); one image's columns (channels * kernelH * kernelW, outH * outW);
// the weights (groups, outChannels, channels * kernelH * kernelW).
import { claim } from './claim';
import { gemmPanels, packA } from './gemm';
import { tile4x8 } from './microKernel';
import { endInside, firstInside, foldImage, unfoldRows } from './imageWindows';

@inline function field(geometry: usize, i: i32): i32 {
  return load<i32>(geometry + (<usize>i << 2));
}

/** Depth of the product: channels * kernelH * kernelW. */
@inline function depth(g: usize): i32 {
  return field(g, 0) * field(g, 3) * field(g, 4);
}

/** Output positions per image: outH * outW. */
@inline function positions(g: usize): i32 {
  return field(g, 11) * field(g, 12);
}

/** Bytes of one input image. */
@inline function imageBytes(g: usize): usize {
  return <usize>(field(g, 0) * field(g, 1) * field(g, 2)) << 2;
}

/** Bytes of an m x k matrix packed in 4-row panels (packA). */
@inline function packedBytes(m: i32, k: i32): usize {
  return <usize>(((m + 3) >> 2) * k) << 4;
}

/** Rows [r0, r1) of the columns of the image at `image`. */
function unfold(g: usize, image: usize, r0: i32, r1: i32, cols: usize): void {
  unfoldRows(image, field(g, 1), field(g, 2), field(g, 3), field(g, 4), field(g, 5), field(g, 6), field(g, 7), field(g, 8), field(g, 9), field(g, 10), field(g, 11), field(g, 12), r0, r1, cols);
}

/** Sets the image at `image` to the adjoint of unfolding it: the column entries summed into their pixels. */
function fold(g: usize, cols: usize, image: usize): void {
  memory.fill(image, 0, imageBytes(g));
  foldImage(cols, field(g, 0), field(g, 1), field(g, 2), field(g, 3), field(g, 4), field(g, 5), field(g, 6), field(g, 7), field(g, 8), field(g, 9), field(g, 10), field(g, 11), field(g, 12), image);
}

/**
 * out[b] (outChannels x L) = the weights of b's group (outChannels x K each) times image b's
 * columns (K x L), plus bias[o] of its group on row o unless `bias` is 0, for the images claimed
 * one at a time. The weights come packed in 4-row panels, or, where `thin`, row-major: fewer
 * output channels per group than a panel's 4 rows (depthwise ones among them) walk the windows
 * instead (thinForward with unit strides, else thinWindows), a packed product being mostly
 * padding. The columns are otherwise always packed (into packedB): even where their panels could
 * be read in place, a contiguous panel is faster to read.
 */
export function convForwardShared(
  geometry: usize, x: usize, weights: usize, bias: usize, outChannels: i32, out: usize, images: i32, groups: i32, counter: usize, thin: i32,
  offsets: usize, cols: usize, packedB: usize, scratch: usize,
): void {
  const k = depth(geometry);
  const l = positions(geometry);
  const output = <usize>(outChannels * l) << 2;
  if ((thin != 0 || offsets != 0) && unitStrides(geometry)) memory.fill(cols, 0, paddedImage(geometry));
  for (let b = claim(counter, 1); b < images; b = claim(counter, 1)) {
    const group = b % groups;
    const y = out + <usize>b * output;
    const image = x + <usize>b * imageBytes(geometry);
    const thinWeights = weights + (<usize>(group * outChannels * k) << 2);
    if (thin != 0 && unitStrides(geometry)) {
      thinForward(geometry, image, y, outChannels, thinWeights, cols);
    } else if (thin != 0) {
      memory.fill(y, 0, output);
      thinWindows(FORWARD, geometry, image, y, outChannels, thinWeights, 0, k, 0, false);
    } else if (offsets != 0) {
      copyPlanes(image, field(geometry, 0), field(geometry, 1), field(geometry, 2), cols, paddedRows(geometry), paddedCols(geometry), field(geometry, 5), field(geometry, 6));
      directProduct(weights + <usize>group * packedBytes(outChannels, k), outChannels, k, offsets, cols, field(geometry, 11), field(geometry, 12), paddedCols(geometry), y, scratch);
    } else {
      unfold(geometry, image, 0, k, cols);
      gemmPanels(cols, l, 1, 0, y, outChannels, k, l, weights + <usize>group * packedBytes(outChannels, k), packedB, 0, (l + 7) >> 3, scratch);
    }
    if (bias != 0) addRowBias(y, bias + (<usize>(group * outChannels) << 2), outChannels, l);
  }
}

const FORWARD = 0;
const INPUT_GRAD = 1;
const WEIGHT_GRAD = 2;

/**
 * The thin passes, which walk an image's windows in place of its columns: for each column row r
 * in [r0, r1) (channel r / (kh * kw), kernel element (r / kw) % kh, r % kw), each output row
 * oh, and within it the outputs [w0, w1) whose pixels lie inside the image (strideW apart), the
 * entries the columns would hold are the pixels themselves and the rest are zero. For each of
 * the outChannels rows i: FORWARD adds weights[i][r] times the pixels into row i of `rows` (y,
 * zeroed before); INPUT_GRAD adds weights[i][r] times row i of `rows` (gOut) into the pixels
 * (the image zeroed before); WEIGHT_GRAD sums row i of gOut times the pixels into acc[i][r],
 * stored for the `first` image and added after. Weights and acc are outChannels x K, row-major.
 */
function thinWindows(mode: i32, g: usize, image: usize, rows: usize, outChannels: i32, weights: usize, r0: i32, r1: i32, acc: usize, first: bool): void {
  const height = field(g, 1);
  const width = field(g, 2);
  const kernelH = field(g, 3);
  const kernelW = field(g, 4);
  const strideH = field(g, 7);
  const strideW = field(g, 8);
  const outH = field(g, 11);
  const outW = field(g, 12);
  const k = depth(g);
  const l = outH * outW;
  for (let r = r0; r < r1; r++) {
    const kj = r % kernelW;
    const ki = (r / kernelW) % kernelH;
    const plane = image + (<usize>((r / (kernelW * kernelH)) * height * width) << 2);
    const shiftH = ki * field(g, 9) - field(g, 5);
    const shiftW = kj * field(g, 10) - field(g, 6);
    const h0 = firstInside(outH, strideH, shiftH);
    const h1 = endInside(height, outH, strideH, shiftH, h0);
    const w0 = firstInside(outW, strideW, shiftW);
    const w1 = endInside(width, outW, strideW, shiftW, w0);
    for (let i = 0; i < outChannels; i++) {
      const c = mode == WEIGHT_GRAD ? <f32>0 : load<f32>(weights + (<usize>(i * k + r) << 2));
      let lanes = f32x4.splat(0);
      let sum: f32 = 0;
      for (let oh = h0; oh < h1; oh++) {
        const row = rows + (<usize>(i * l + oh * outW) << 2);
        const pixels = plane + (<usize>((oh * strideH + shiftH) * width + shiftW) << 2);
        let ow = w0;
        if (mode == FORWARD) {
          if (strideW == 1) for (; ow + 4 <= w1; ow += 4) addScaled(row + (<usize>ow << 2), c, pixels + (<usize>ow << 2));
          for (; ow < w1; ow++) store<f32>(row + (<usize>ow << 2), load<f32>(row + (<usize>ow << 2)) + c * load<f32>(pixels + (<usize>(ow * strideW) << 2)));
        } else if (mode == INPUT_GRAD) {
          // With unit stride the pixels are adjacent: four at a time (each its own sum).
          if (strideW == 1) for (; ow + 4 <= w1; ow += 4) addScaled(pixels + (<usize>ow << 2), c, row + (<usize>ow << 2));
          for (; ow < w1; ow++) {
            const at = pixels + (<usize>(ow * strideW) << 2);
            store<f32>(at, load<f32>(at) + c * load<f32>(row + (<usize>ow << 2)));
          }
        } else {
          if (strideW == 1) for (; ow + 4 <= w1; ow += 4) lanes = f32x4.add(lanes, f32x4.mul(v128.load(row + (<usize>ow << 2)), v128.load(pixels + (<usize>ow << 2))));
          for (; ow < w1; ow++) sum += load<f32>(row + (<usize>ow << 2)) * load<f32>(pixels + (<usize>(ow * strideW) << 2));
        }
      }
      if (mode == WEIGHT_GRAD) accumulate(acc + (<usize>(i * k + r) << 2), laneSum(lanes) + sum, first);
    }
  }
}

// Thin passes with unit strides read the windows from a zero-padded copy of the planes they
// walk, so every window lies whole inside it: four outputs then sum all their kernel elements in
// a register and are stored once, where thinWindows adds each element's term into memory. A
// thread zeroes its padded planes once per pass (paddedImage, paddedGradient give their sizes);
// each image then only copies its pixels inside the border.

/** Whether both strides are 1. */
@inline function unitStrides(g: usize): bool {
  return field(g, 7) == 1 && field(g, 8) == 1;
}

/** Rows and columns of an image's padded planes: padding on both sides. */
@inline function paddedRows(g: usize): i32 {
  return field(g, 1) + 2 * field(g, 5);
}
@inline function paddedCols(g: usize): i32 {
  return field(g, 2) + 2 * field(g, 6);
}

/** Bytes of an image's padded planes (forward and weight gradient). */
function paddedImage(g: usize): usize {
  return <usize>(field(g, 0) * paddedRows(g) * paddedCols(g)) << 2;
}

/**
 * Rows and columns of an output gradient's padded planes (input gradient): the image's size, plus
 * the padding and the kernel's extent, so that gOut at (h + padH - ki dilationH, w + padW - kj
 * dilationW) lies inside for every pixel (h, w), shifted down and right by the extent.
 */
@inline function extentH(g: usize): i32 {
  return field(g, 9) * (field(g, 3) - 1);
}
@inline function extentW(g: usize): i32 {
  return field(g, 10) * (field(g, 4) - 1);
}
@inline function gradientRows(g: usize): i32 {
  return field(g, 1) + field(g, 5) + extentH(g);
}
@inline function gradientCols(g: usize): i32 {
  return field(g, 2) + field(g, 6) + extentW(g);
}

/** Bytes of an output gradient's padded planes, for outChannels of them. */
function paddedGradient(g: usize, outChannels: i32): usize {
  return <usize>(outChannels * gradientRows(g) * gradientCols(g)) << 2;
}

/**
 * Copies `planes` planes of height x width at `from` into the planes of rows x cols at `to`, pixel
 * (h, w) of each to (h + top, w + left), leaving the rest as it was; pixels falling outside are
 * left out.
 */
function copyPlanes(from: usize, planes: i32, height: i32, width: i32, to: usize, rows: i32, cols: i32, top: i32, left: i32): void {
  const h1 = min(height, rows - top);
  const w1 = min(width, cols - left);
  for (let p = 0; p < planes; p++) {
    for (let h = 0; h < h1; h++) {
      const source = from + (<usize>((p * height + h) * width) << 2);
      const target = to + (<usize>((p * rows + h + top) * cols + left) << 2);
      let w = 0;
      for (; w + 4 <= w1; w += 4) v128.store(target + (<usize>w << 2), v128.load(source + (<usize>w << 2)));
      for (; w < w1; w++) store<f32>(target + (<usize>w << 2), load<f32>(source + (<usize>w << 2)));
    }
  }
}

/** Stores the first n (1 to 4) lanes of v at `at`. */
@inline function storeLanes(at: usize, v: v128, n: i32): void {
  if (n == 4) {
    v128.store(at, v);
    return;
  }
  store<f32>(at, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(at, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(at, f32x4.extract_lane(v, 2), 8);
}

/**
 * The sum over a kernel's rows of `kernelH` and columns of `kernelW` of weight times the four
 * floats at `from`: the weights `weights` on, a row's `rowStep` bytes and a column's `colStep`
 * bytes apart in the data (negative steps walk it backwards), added to `sum`.
 */
@inline function kernelSum(sum: v128, weights: usize, from: usize, kernelH: i32, kernelW: i32, rowStep: isize, colStep: isize): v128 {
  // 3x3, the common depthwise kernel, unrolled: the same terms in the same order.
  if (kernelH == 3 && kernelW == 3) {
    const row1 = from + rowStep;
    const row2 = row1 + rowStep;
    sum = f32x4.add(sum, f32x4.mul(v128.load32_splat(weights), v128.load(from)));
    sum = f32x4.add(sum, f32x4.mul(v128.load32_splat(weights, 4), v128.load(from + colStep)));
    sum = f32x4.add(sum, f32x4.mul(v128.load32_splat(weights, 8), v128.load(from + 2 * colStep)));
    sum = f32x4.add(sum, f32x4.mul(v128.load32_splat(weights, 12), v128.load(row1)));
    sum = f32x4.add(sum, f32x4.mul(v128.load32_splat(weights, 16), v128.load(row1 + colStep)));
    sum = f32x4.add(sum, f32x4.mul(v128.load32_splat(weights, 20), v128.load(row1 + 2 * colStep)));
    sum = f32x4.add(sum, f32x4.mul(v128.load32_splat(weights, 24), v128.load(row2)));
    sum = f32x4.add(sum, f32x4.mul(v128.load32_splat(weights, 28), v128.load(row2 + colStep)));
    return f32x4.add(sum, f32x4.mul(v128.load32_splat(weights, 32), v128.load(row2 + 2 * colStep)));
  }
  let w = weights;
  let row = from;
  for (let ki = 0; ki < kernelH; ki++) {
    let at = row;
    for (let kj = 0; kj < kernelW; kj++) {
      sum = f32x4.add(sum, f32x4.mul(v128.load32_splat(w), v128.load(at)));
      w += 4;
      at += colStep;
    }
    row += rowStep;
  }
  return sum;
}

/**
 * The sums of thinForward and thinInputGrad, over planes padded into `padded` (rows x cols each):
 * output plane m (of planesOut, height x width) at (q, x) sums, over the input planes p (of
 * planesIn) and the kernel elements, weight times padded plane p at (q + top, x + left) stepped
 * by the element (rowStep and colStep bytes a kernel row and column; negative steps walk back).
 * The weights of (m, p) are the taps floats at weights + (m mStride + p pStride) taps floats.
 * Four outputs of a row at a time, each stored once; a row's last four may read past its end
 * (16 bytes beyond the planes at most), into lanes that are not stored.
 */
function thinTaps(
  padded: usize, rows: i32, cols: i32, top: i32, left: i32, planesIn: i32, out: usize, planesOut: i32, height: i32, width: i32,
  weights: usize, mStride: i32, pStride: i32, kernelH: i32, kernelW: i32, rowStep: isize, colStep: isize,
): void {
  const taps = kernelH * kernelW;
  for (let m = 0; m < planesOut; m++) {
    for (let q = 0; q < height; q++) {
      const into = out + (<usize>((m * height + q) * width) << 2);
      for (let x = 0; x < width; x += 4) {
        let sum = f32x4.splat(0);
        for (let p = 0; p < planesIn; p++) {
          const from = padded + (<usize>((p * rows + q + top) * cols + x + left) << 2);
          sum = kernelSum(sum, weights + (<usize>((m * mStride + p * pStride) * taps) << 2), from, kernelH, kernelW, rowStep, colStep);
        }
        storeLanes(into + (<usize>x << 2), sum, min(4, width - x));
      }
    }
  }
}

/**
 * FORWARD with unit strides: y (outChannels x outH x outW) = the weights (outChannels x K) times
 * the image's windows, read from its planes copied into `padded` (paddedImage bytes, zero outside
 * the pixels, and 16 bytes more): output (oh, ow)'s window in plane c starts at padded (oh, ow).
 */
function thinForward(g: usize, image: usize, y: usize, outChannels: i32, weights: usize, padded: usize): void {
  const channels = field(g, 0);
  const rows = paddedRows(g);
  const cols = paddedCols(g);
  copyPlanes(image, channels, field(g, 1), field(g, 2), padded, rows, cols, field(g, 5), field(g, 6));
  thinTaps(
    padded, rows, cols, 0, 0, channels, y, outChannels, field(g, 11), field(g, 12),
    weights, channels, 1, field(g, 3), field(g, 4), <isize>(field(g, 9) * cols) << 2, <isize>field(g, 10) << 2,
  );
}

/**
 * INPUT_GRAD with unit strides: pixel (h, w) of channel c gets weights[i][c, ki, kj] times gOut[i]
 * at (h + padH - ki dilationH, w + padW - kj dilationW), where that output exists, summed over the
 * outChannels and kernel elements. gOut's planes are copied into `padded` (paddedGradient bytes,
 * zero outside, and 16 bytes more), shifted by the kernel's extent: kernel element (0, 0)'s term
 * for pixel (h, w) is at (h + padH + extentH, w + padW + extentW), and the others step back from it.
 */
function thinInputGrad(g: usize, gOut: usize, dx: usize, outChannels: i32, weights: usize, padded: usize): void {
  const channels = field(g, 0);
  const rows = gradientRows(g);
  const cols = gradientCols(g);
  copyPlanes(gOut, outChannels, field(g, 11), field(g, 12), padded, rows, cols, extentH(g), extentW(g));
  thinTaps(
    padded, rows, cols, field(g, 5) + extentH(g), field(g, 6) + extentW(g), outChannels, dx, channels, field(g, 1), field(g, 2),
    weights, 1, channels, field(g, 3), field(g, 4), -(<isize>(field(g, 9) * cols) << 2), -(<isize>field(g, 10) << 2),
  );
}

/**
 * WEIGHT_GRAD with unit strides: for the column rows r in [r0, r1) (channel c, kernel element
 * (ki, kj)) and each of the outChannels rows i, the sum of gOut[i] times the image's plane c at
 * (oh + ki dilationH - padH, ow + kj dilationW - padW), read from its planes copied into `padded`
 * as thinForward copies them; stored into acc[i][r] for the `first` image and added after.
 */
function thinWeightGrad(g: usize, image: usize, gOut: usize, outChannels: i32, r0: i32, r1: i32, acc: usize, first: bool, padded: usize): void {
  const kernelH = field(g, 3);
  const kernelW = field(g, 4);
  const outH = field(g, 11);
  const outW = field(g, 12);
  const rows = paddedRows(g);
  const cols = paddedCols(g);
  const k = depth(g);
  copyPlanes(image, field(g, 0), field(g, 1), field(g, 2), padded, rows, cols, field(g, 5), field(g, 6));
  // Lanes of a row's last four outputs past its end: masked out of the sums.
  const tail = i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(outW & 3));
  const whole = outW & ~3;
  const taps = kernelH * kernelW;
  for (let r = r0; r < r1; r++) {
    if (taps == 9 && kernelW == 3 && r % 9 == 0 && r + 9 <= r1) {
      // A channel's whole 3x3 kernel: its nine sums in one sweep.
      const plane = padded + (<usize>((r / 9) * rows * cols) << 2);
      for (let i = 0; i < outChannels; i++) {
        sums3x3(gOut + (<usize>(i * outH * outW) << 2), plane, outH, outW, cols, field(g, 9), field(g, 10), tail, acc + (<usize>(i * k + r) << 2), first);
      }
      r += 8;
      continue;
    }
    const kj = r % kernelW;
    const ki = (r / kernelW) % kernelH;
    const plane = padded + (<usize>((r / (kernelW * kernelH)) * rows * cols + ki * field(g, 9) * cols + kj * field(g, 10)) << 2);
    for (let i = 0; i < outChannels; i++) {
      let lanes = f32x4.splat(0);
      for (let oh = 0; oh < outH; oh++) {
        const row = gOut + (<usize>((i * outH + oh) * outW) << 2);
        const pixels = plane + (<usize>(oh * cols) << 2);
        let ow = 0;
        for (; ow < whole; ow += 4) lanes = f32x4.add(lanes, f32x4.mul(v128.load(row + (<usize>ow << 2)), v128.load(pixels + (<usize>ow << 2))));
        if (ow < outW) lanes = f32x4.add(lanes, v128.and(f32x4.mul(v128.load(row + (<usize>ow << 2)), v128.load(pixels + (<usize>ow << 2))), tail));
      }
      accumulate(acc + (<usize>(i * k + r) << 2), laneSum(lanes), first);
    }
  }
}

/**
 * C (m x outH x outW) = A (m x k, packed in 4-row panels) times columns read in place from padded
 * planes: entry kk of output position (q, x) is the float at padded + offsets[kk] + (q cols + x) * 4
 * (offsets: k int32 byte offsets). With unit strides eight neighbouring positions of a row are
 * eight neighbouring floats there, so a 4 x 8 tile reads its B values as two vectors, and no
 * columns are unfolded or packed: the forward pass (A the weights, the image padded) and the
 * input gradient (A the weights' transpose per kernel element, the output gradient padded). The
 * terms of each output are summed in kk order, as gemmPanels sums them. A tile past a row's end
 * (or past m's last row) reads up to 28 bytes past the planes into lanes that go to the scratch
 * tile, not to C.
 */
function directProduct(a: usize, m: i32, k: i32, offsets: usize, padded: usize, outH: i32, outW: i32, cols: i32, c: usize, scratch: usize): void {
  const panels = (m + 3) >> 2;
  const l = outH * outW;
  const stride = <usize>l << 2;
  for (let q = 0; q < outH; q++) {
    for (let x0 = 0; x0 < outW; x0 += 8) {
      const base = padded + (<usize>(q * cols + x0) << 2);
      const n = outW - x0;
      for (let ip = 0; ip < panels; ip++) {
        const zero = f32x4.splat(0);
        tile4x8(true, a + <usize>(ip * k * 16), k, base, 0, offsets, zero, zero, c + (<usize>(ip * 4 * l + q * outW + x0) << 2), stride, m - ip * 4, n, scratch);
      }
    }
  }
}

/** The four lanes' sum, pairwise. */
@inline function laneSum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** Stores d at `at` for the first image, else adds it there. */
@inline function accumulate(at: usize, d: f32, first: bool): void {
  store<f32>(at, first ? d : load<f32>(at) + d);
}

/**
 * thinWeightGrad's nine sums of a 3x3 kernel in one sweep over the output gradient's plane at
 * `gOut` (outH x outW): sum t = (ki, kj) of gOut times the padded plane at `plane` (cols wide)
 * from (ki dilationH, kj dilationW), into acc[t] (accumulate); each sum in the lanes and order
 * thinWeightGrad's own loop gives it, the tail's lanes past a row's end masked out.
 */
function sums3x3(gOut: usize, plane: usize, outH: i32, outW: i32, cols: i32, dilationH: i32, dilationW: i32, tail: v128, acc: usize, first: bool): void {
  let s0 = f32x4.splat(0);
  let s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0, s8 = s0;
  const colStep = <usize>dilationW << 2;
  const rowStep = <usize>(dilationH * cols) << 2;
  for (let oh = 0; oh < outH; oh++) {
    const row = gOut + (<usize>(oh * outW) << 2);
    const row0 = plane + (<usize>(oh * cols) << 2);
    const row1 = row0 + rowStep;
    const row2 = row1 + rowStep;
    for (let ow = 0; ow < outW; ow += 4) {
      const at = <usize>ow << 2;
      const mask = ow + 4 <= outW ? i32x4.splat(-1) : tail;
      const gv = v128.load(row + at);
      s0 = f32x4.add(s0, v128.and(f32x4.mul(gv, v128.load(row0 + at)), mask));
      s1 = f32x4.add(s1, v128.and(f32x4.mul(gv, v128.load(row0 + at + colStep)), mask));
      s2 = f32x4.add(s2, v128.and(f32x4.mul(gv, v128.load(row0 + at + 2 * colStep)), mask));
      s3 = f32x4.add(s3, v128.and(f32x4.mul(gv, v128.load(row1 + at)), mask));
      s4 = f32x4.add(s4, v128.and(f32x4.mul(gv, v128.load(row1 + at + colStep)), mask));
      s5 = f32x4.add(s5, v128.and(f32x4.mul(gv, v128.load(row1 + at + 2 * colStep)), mask));
      s6 = f32x4.add(s6, v128.and(f32x4.mul(gv, v128.load(row2 + at)), mask));
      s7 = f32x4.add(s7, v128.and(f32x4.mul(gv, v128.load(row2 + at + colStep)), mask));
      s8 = f32x4.add(s8, v128.and(f32x4.mul(gv, v128.load(row2 + at + 2 * colStep)), mask));
    }
  }
  accumulate(acc, laneSum(s0), first);
  accumulate(acc + 4, laneSum(s1), first);
  accumulate(acc + 8, laneSum(s2), first);
  accumulate(acc + 12, laneSum(s3), first);
  accumulate(acc + 16, laneSum(s4), first);
  accumulate(acc + 20, laneSum(s5), first);
  accumulate(acc + 24, laneSum(s6), first);
  accumulate(acc + 28, laneSum(s7), first);
  accumulate(acc + 32, laneSum(s8), first);
}

/** The four floats at `to` plus c times the four at `from`. */
@inline function addScaled(to: usize, c: f32, from: usize): void {
  v128.store(to, f32x4.add(v128.load(to), f32x4.mul(f32x4.splat(c), v128.load(from))));
}

/** Adds bias[i] to every element of row i of the rows x width matrix at y (the sum a separate add would give). */
function addRowBias(y: usize, bias: usize, rows: i32, width: i32): void {
  for (let i = 0; i < rows; i++) {
    const row = y + (<usize>(i * width) << 2);
    const b = load<f32>(bias + (<usize>i << 2));
    const bs = f32x4.splat(b);
    let j = 0;
    for (; j + 4 <= width; j += 4) v128.store(row + (<usize>j << 2), f32x4.add(v128.load(row + (<usize>j << 2)), bs));
    for (; j < width; j++) store<f32>(row + (<usize>j << 2), load<f32>(row + (<usize>j << 2)) + b);
  }
}

/**
 * dx[b] = fold(W^T of b's group (K x outChannels) times gOut[b] (outChannels x L)), for the
 * images claimed one at a time: W^T packed in 4-row panels per group, gOut[b] packed into packedB
 * as in convForwardShared; or, where `thin`, the weights row-major (outChannels x K per group) and
 * the windows walked (thinInputGrad with unit strides, else thinWindows).
 */
export function convInputGradShared(
  geometry: usize, weights: usize, outChannels: i32, gOut: usize, dx: usize, images: i32, groups: i32, counter: usize, thin: i32,
  offsets: usize, cols: usize, packedB: usize, scratch: usize,
): void {
  const k = depth(geometry);
  const l = positions(geometry);
  const output = <usize>(outChannels * l) << 2;
  if ((thin != 0 || offsets != 0) && unitStrides(geometry)) memory.fill(cols, 0, paddedGradient(geometry, outChannels));
  for (let b = claim(counter, 1); b < images; b = claim(counter, 1)) {
    const group = b % groups;
    const image = dx + <usize>b * imageBytes(geometry);
    const thinWeights = weights + (<usize>(group * outChannels * k) << 2);
    if (thin != 0 && unitStrides(geometry)) {
      thinInputGrad(geometry, gOut + <usize>b * output, image, outChannels, thinWeights, cols);
    } else if (thin != 0) {
      memory.fill(image, 0, imageBytes(geometry));
      thinWindows(INPUT_GRAD, geometry, image, gOut + <usize>b * output, outChannels, thinWeights, 0, k, 0, false);
    } else if (offsets != 0) {
      copyPlanes(gOut + <usize>b * output, outChannels, field(geometry, 11), field(geometry, 12), cols, gradientRows(geometry), gradientCols(geometry), extentH(geometry), extentW(geometry));
      // The transposed weights' depth: outChannels per kernel element.
      const depthT = outChannels * field(geometry, 3) * field(geometry, 4);
      directProduct(weights + <usize>group * packedBytes(field(geometry, 0), depthT), field(geometry, 0), depthT, offsets, cols, field(geometry, 1), field(geometry, 2), gradientCols(geometry), image, scratch);
    } else {
      gemmPanels(gOut + <usize>b * output, l, 1, 0, cols, k, outChannels, l, weights + <usize>group * packedBytes(k, outChannels), packedB, 0, (l + 7) >> 3, scratch);
      fold(geometry, cols, image);
    }
  }
}

/**
 * acc[group] (outChannels x K) = the sum over the batch's images of that group, in order, of
 * gOut[b] (outChannels x L) times image b's columns transposed (L x K), for runs of `chunk` of a
 * group's 8-column panels claimed one run at a time: each claim unfolds only its rows of each
 * image's columns. An image's product goes to `part` and is then added, so the sums are those of
 * one product per image added in turn. Where `thin`, the windows are walked instead
 * (thinWeightGrad with unit strides, else thinWindows), each entry of an image's product added
 * straight to acc.
 */
export function convWeightGradShared(
  geometry: usize, x: usize, gOut: usize, outChannels: i32, acc: usize, batch: i32, groups: i32, counter: usize, chunk: i32, thin: i32,
  cols: usize, packedA: usize, packedB: usize, part: usize, scratch: usize,
): void {
  const k = depth(geometry);
  const l = positions(geometry);
  const panels = (k + 7) >> 3;
  const runs = (panels + chunk - 1) / chunk;
  const output = <usize>(outChannels * l) << 2;
  if (thin != 0 && unitStrides(geometry)) memory.fill(cols, 0, paddedImage(geometry));
  for (let run = claim(counter, 1); run < groups * runs; run = claim(counter, 1)) {
    const group = run / runs;
    const p0 = (run % runs) * chunk;
    const p1 = min(p0 + chunk, panels);
    const r0 = p0 * 8;
    const r1 = min(p1 * 8, k);
    const into = acc + (<usize>(group * outChannels * k) << 2);
    for (let n = 0; n < batch; n++) {
      const b = n * groups + group;
      const g = gOut + <usize>b * output;
      const image = x + <usize>b * imageBytes(geometry);
      if (thin != 0) {
        if (unitStrides(geometry)) thinWeightGrad(geometry, image, g, outChannels, r0, r1, into, n == 0, cols);
        else thinWindows(WEIGHT_GRAD, geometry, image, g, outChannels, 0, r0, r1, into, n == 0);
        continue;
      }
      unfold(geometry, image, r0, r1, cols);
      packA(g, outChannels, l, l, 1, packedA);
      gemmPanels(cols, 1, l, 0, n == 0 ? into : part, outChannels, l, k, packedA, packedB, p0, p1, scratch);
      if (n > 0) addColumns(part, into, outChannels, k, r0, r1);
    }
  }
}

/** acc[i][j] += part[i][j] for the rows i < rows and the columns j in [j0, j1) of two rows x width matrices. */
function addColumns(part: usize, acc: usize, rows: i32, width: i32, j0: i32, j1: i32): void {
  for (let i = 0; i < rows; i++) {
    const from = part + (<usize>(i * width) << 2);
    const to = acc + (<usize>(i * width) << 2);
    let j = j0;
    for (; j + 4 <= j1; j += 4) {
      const at = <usize>j << 2;
      v128.store(to + at, f32x4.add(v128.load(to + at), v128.load(from + at)));
    }
    for (; j < j1; j++) {
      const at = <usize>j << 2;
      store<f32>(to + at, load<f32>(to + at) + load<f32>(from + at));
    }
  }
}

/**
 * gradBias[group * outChannels + i] = row i of gOut[b] summed, over the images b of each group in
 * turn (each row summed in four lanes, then the lanes): the bias gradient.
 */
export function convBiasGrad(gOut: usize, outChannels: i32, l: i32, images: i32, groups: i32, gradBias: usize): void {
  memory.fill(gradBias, 0, <usize>(outChannels * groups) << 2);
  for (let b = 0; b < images; b++) {
    const into = gradBias + (<usize>((b % groups) * outChannels) << 2);
    for (let i = 0; i < outChannels; i++) {
      const row = gOut + (<usize>((b * outChannels + i) * l) << 2);
      let lanes = f32x4.splat(0);
      let j = 0;
      for (; j + 4 <= l; j += 4) lanes = f32x4.add(lanes, v128.load(row + (<usize>j << 2)));
      let sum = laneSum(lanes);
      for (; j < l; j++) sum += load<f32>(row + (<usize>j << 2));
      const at = into + (<usize>i << 2);
      store<f32>(at, load<f32>(at) + sum);
    }
  }
}
