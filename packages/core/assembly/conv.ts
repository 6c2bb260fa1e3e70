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
 * instead (thinWindows), a packed product being mostly padding. The columns are otherwise always
 * packed (into packedB): even where their panels could be read in place, a contiguous panel is
 * faster to read.
 */
export function convForwardShared(
  geometry: usize, x: usize, weights: usize, bias: usize, outChannels: i32, out: usize, images: i32, groups: i32, counter: usize, thin: i32,
  cols: usize, packedB: usize, scratch: usize,
): void {
  const k = depth(geometry);
  const l = positions(geometry);
  const output = <usize>(outChannels * l) << 2;
  for (let b = claim(counter, 1); b < images; b = claim(counter, 1)) {
    const group = b % groups;
    const y = out + <usize>b * output;
    const image = x + <usize>b * imageBytes(geometry);
    if (thin != 0) {
      memory.fill(y, 0, output);
      thinWindows(FORWARD, geometry, image, y, outChannels, weights + (<usize>(group * outChannels * k) << 2), 0, k, 0, false);
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
      if (mode == WEIGHT_GRAD) {
        const d = f32x4.extract_lane(lanes, 0) + f32x4.extract_lane(lanes, 1) + (f32x4.extract_lane(lanes, 2) + f32x4.extract_lane(lanes, 3)) + sum;
        const at = acc + (<usize>(i * k + r) << 2);
        store<f32>(at, first ? d : load<f32>(at) + d);
      }
    }
  }
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
 * the windows walked (thinWindows).
 */
export function convInputGradShared(
  geometry: usize, weights: usize, outChannels: i32, gOut: usize, dx: usize, images: i32, groups: i32, counter: usize, thin: i32,
  cols: usize, packedB: usize, scratch: usize,
): void {
  const k = depth(geometry);
  const l = positions(geometry);
  const output = <usize>(outChannels * l) << 2;
  for (let b = claim(counter, 1); b < images; b = claim(counter, 1)) {
    const group = b % groups;
    const image = dx + <usize>b * imageBytes(geometry);
    if (thin != 0) {
      memory.fill(image, 0, imageBytes(geometry));
      thinWindows(INPUT_GRAD, geometry, image, gOut + <usize>b * output, outChannels, weights + (<usize>(group * outChannels * k) << 2), 0, k, 0, false);
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
 * (thinWindows), each entry of an image's product added straight to acc.
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
        thinWindows(WEIGHT_GRAD, geometry, image, g, outChannels, 0, r0, r1, into, n == 0);
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
      let sum = f32x4.extract_lane(lanes, 0) + f32x4.extract_lane(lanes, 1) + (f32x4.extract_lane(lanes, 2) + f32x4.extract_lane(lanes, 3));
      for (; j < l; j++) sum += load<f32>(row + (<usize>j << 2));
      const at = into + (<usize>i << 2);
      store<f32>(at, load<f32>(at) + sum);
    }
  }
}
