// Max pooling over float32 (the plain kernels' rules, src/backend/cpu/pool.ts): windows clipped
// to the input and scanned row-major; a value replaces the best if larger or NaN; a window of
// -infinity keeps its first element. Indices (int64 storage: float64) are flat h * W + w.

export function maxPool2dForward(
  x: usize, batch: i32, channels: i32, height: i32, width: i32, kernelH: i32, kernelW: i32,
  padH: i32, padW: i32, strideH: i32, strideW: i32, dilationH: i32, dilationW: i32, outH: i32, outW: i32,
  out: usize, indices: usize,
): void {
  const plane = height * width;
  if (padH == 0 && padW == 0 && dilationH == 1 && dilationW == 1 && (outH - 1) * strideH + kernelH <= height && (outW - 1) * strideW + kernelW <= width) {
    maxPoolInside(x, batch * channels, height, width, kernelH, kernelW, strideH, strideW, outH, outW, out, indices);
    return;
  }
  let o = 0;
  for (let p = 0; p < batch * channels; p++) {
    const base = x + (<usize>(p * plane) << 2);
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * strideH - padH;
      for (let ow = 0; ow < outW; ow++, o++) {
        const w0 = ow * strideW - padW;
        let best = -Infinity as f32;
        let at = -1;
        let first = -1;
        for (let ki = 0; ki < kernelH; ki++) {
          const h = h0 + ki * dilationH;
          if (h < 0 || h >= height) continue;
          for (let kj = 0; kj < kernelW; kj++) {
            const w = w0 + kj * dilationW;
            if (w < 0 || w >= width) continue;
            const index = h * width + w;
            if (first < 0) first = index;
            const v = load<f32>(base + (<usize>index << 2));
            if (v > best || v != v) {
              best = v;
              at = index;
            }
          }
        }
        store<f32>(out + (<usize>o << 2), best);
        store<f64>(indices + (<usize>o << 3), <f64>(at >= 0 ? at : first));
      }
    }
  }
}

/**
 * The common case, every window inside the input (no padding or dilation): no bounds to check,
 * and the window's first element starts as the best, which is the general loop's result too (a
 * window of -infinity keeps its first element; later ones replace it only if larger or NaN).
 * Four neighbouring windows of a row go together in vector lanes, where the winner is a lane
 * select: which element wins is data, and a branch on it would be mispredicted often.
 */
@inline function maxPoolInside(
  x: usize, planes: i32, height: i32, width: i32, kernelH: i32, kernelW: i32, strideH: i32, strideW: i32, outH: i32, outW: i32,
  out: usize, indices: usize,
): void {
  const plane = height * width;
  const lanes = i32x4(0, strideW, 2 * strideW, 3 * strideW);
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = x + (<usize>(p * plane) << 2);
    for (let oh = 0; oh < outH; oh++) {
      const top = oh * strideH * width;
      let ow = 0;
      for (; ow + 4 <= outW; ow += 4, o += 4) {
        const corner = top + ow * strideW;
        let at = i32x4.add(i32x4.splat(corner), lanes);
        let best = windowLanes(base, corner, strideW);
        for (let ki = 0; ki < kernelH; ki++) {
          const row = corner + ki * width;
          for (let kj = ki == 0 ? 1 : 0; kj < kernelW; kj++) {
            const v = windowLanes(base, row + kj, strideW);
            const wins = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
            best = v128.bitselect(v, best, wins);
            at = v128.bitselect(i32x4.add(i32x4.splat(row + kj), lanes), at, wins);
          }
        }
        v128.store(out + (<usize>o << 2), best);
        v128.store(indices + (<usize>o << 3), f64x2.convert_low_i32x4_s(at));
        v128.store(indices + (<usize>o << 3), f64x2.convert_low_i32x4_s(i32x4.shuffle(at, at, 2, 3, 0, 1)), 16);
      }
      for (; ow < outW; ow++, o++) {
        const corner = top + ow * strideW;
        let at = corner;
        let best = load<f32>(base + (<usize>corner << 2));
        for (let ki = 0; ki < kernelH; ki++) {
          const row = corner + ki * width;
          for (let kj = ki == 0 ? 1 : 0; kj < kernelW; kj++) {
            const v = load<f32>(base + (<usize>(row + kj) << 2));
            if (v > best || v != v) {
              best = v;
              at = row + kj;
            }
          }
        }
        store<f32>(out + (<usize>o << 2), best);
        store<f64>(indices + (<usize>o << 3), <f64>at);
      }
    }
  }
}

/** The elements at index, index + step, index + 2 step and index + 3 step of the plane at `base`. */
@inline function windowLanes(base: usize, index: i32, step: i32): v128 {
  const at = base + (<usize>index << 2);
  if (step == 1) return v128.load(at);
  // Elements 0-3 and 3-6: nothing read past the last lane's element.
  if (step == 2) return v128.shuffle<f32>(v128.load(at), v128.load(at, 12), 0, 2, 5, 7);
  const s = <usize>step << 2;
  return f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(load<f32>(at)), 1, load<f32>(at + s)), 2, load<f32>(at + 2 * s)), 3, load<f32>(at + 3 * s));
}

export function maxPool2dBackward(gOut: usize, indices: usize, planes: i32, plane: i32, outputs: i32, gradInput: usize): void {
  memory.fill(gradInput, 0, <usize>(planes * plane) << 2);
  for (let p = 0; p < planes; p++) {
    const base = gradInput + (<usize>(p * plane) << 2);
    for (let o = p * outputs; o < (p + 1) * outputs; o++) {
      const at = base + (<usize>(<i32>load<f64>(indices + (<usize>o << 3))) << 2);
      store<f32>(at, load<f32>(at) + load<f32>(gOut + (<usize>o << 2)));
    }
  }
}

// Pooling over separable windows: average pooling (the plain averagePool2dForward and
// averagePool2dBackward, the same sums in the same order, so the same bits) and adaptive max
// pooling (the plain adaptiveMaxPool2dForward's rules). `windows` holds float64s, each output
// row's first input row and the row after its last (2 outH), then each output column's (2 outW),
// then, for average pooling, each output position's divisor (outH outW).

const AVERAGE: i32 = 0;
const AVERAGE_ADJOINT: i32 = 1;
const MAX: i32 = 2;

/**
 * Walks the windows of `planes` images at `image`, output o's window with pooled[o]. AVERAGE
 * writes pooled[o] = the window's sum, in float64, over its divisor; AVERAGE_ADJOINT adds
 * pooled[o] over the divisor to every pixel of the window (one walk, so the two stay each other's
 * adjoint); MAX writes the window's maximum, scanned row-major (a value replaces the best if
 * larger or NaN; a window of -infinity keeps its first element), and its h * W + w at indices[o].
 */
@inline function separableWindows(mode: i32, image: usize, planes: i32, height: i32, width: i32, outH: i32, outW: i32, windows: usize, pooled: usize, indices: usize): void {
  const cols = windows + (<usize>(2 * outH) << 3);
  const divisors = cols + (<usize>(2 * outW) << 3);
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const plane = image + (<usize>(p * height * width) << 2);
    for (let oh = 0; oh < outH; oh++) {
      const h0 = <i32>load<f64>(windows + (<usize>(2 * oh) << 3));
      const h1 = <i32>load<f64>(windows + (<usize>(2 * oh + 1) << 3));
      for (let ow = 0; ow < outW; ow++, o++) {
        const w0 = <i32>load<f64>(cols + (<usize>(2 * ow) << 3));
        const w1 = <i32>load<f64>(cols + (<usize>(2 * ow + 1) << 3));
        const at = pooled + (<usize>o << 2);
        if (mode == MAX) {
          let best = -Infinity as f32;
          let first = h0 * width + w0;
          for (let h = h0; h < h1; h++) {
            for (let index = h * width + w0; index < h * width + w1; index++) {
              const v = load<f32>(plane + (<usize>index << 2));
              if (v > best || v != v) {
                best = v;
                first = index;
              }
            }
          }
          store<f32>(at, best);
          store<f64>(indices + (<usize>o << 3), <f64>first);
          continue;
        }
        const divisor = load<f64>(divisors + (<usize>(oh * outW + ow) << 3));
        const share = mode == AVERAGE_ADJOINT ? <f64>load<f32>(at) / divisor : 0;
        let sum: f64 = 0;
        for (let h = h0; h < h1; h++) {
          const row = plane + (<usize>(h * width) << 2);
          for (let c = w0; c < w1; c++) {
            const pixel = row + (<usize>c << 2);
            if (mode == AVERAGE_ADJOINT) store<f32>(pixel, <f32>(<f64>load<f32>(pixel) + share));
            else sum += <f64>load<f32>(pixel);
          }
        }
        if (mode == AVERAGE) store<f32>(at, <f32>(sum / divisor));
      }
    }
  }
}

/** Each output: the maximum of its window, and the maximum's index in its image. */
export function adaptiveMaxPool2dForward(x: usize, planes: i32, height: i32, width: i32, outH: i32, outW: i32, windows: usize, out: usize, indices: usize): void {
  separableWindows(MAX, x, planes, height, width, outH, outW, windows, out, indices);
}

/** Each output: the sum of its window, in float64, over its divisor. */
export function averagePool2dForward(x: usize, planes: i32, height: i32, width: i32, outH: i32, outW: i32, windows: usize, out: usize): void {
  separableWindows(AVERAGE, x, planes, height, width, outH, outW, windows, out, 0);
}

/** Each output's gradient over its divisor, added to every input of its window. */
export function averagePool2dBackward(gOut: usize, planes: i32, height: i32, width: i32, outH: i32, outW: i32, windows: usize, gradInput: usize): void {
  memory.fill(gradInput, 0, <usize>(planes * height * width) << 2);
  separableWindows(AVERAGE_ADJOINT, gradInput, planes, height, width, outH, outW, windows, gOut, 0);
}
