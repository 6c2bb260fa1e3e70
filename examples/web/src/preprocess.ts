/**
 * A drawn digit as MNIST's digits were made (LeCun et al.): the ink's bounding box scaled to fit
 * 20x20 with its aspect ratio kept, then placed in a 28x28 field so that its centre of mass is
 * the field's centre. Input: ink intensities in [0, 1], row-major, width x height. Output: 784
 * pixels in [0, 1], or null when nothing is drawn.
 */
export function toMnist(ink: Float32Array, width: number, height: number): Float32Array | null {
  const threshold = 0.05;
  let [left, top, right, bottom] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] > threshold) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
  }
  if (right < 0) return null;
  const [boxW, boxH] = [right - left + 1, bottom - top + 1];
  const scale = 20 / Math.max(boxW, boxH);
  const [w, h] = [Math.max(1, Math.round(boxW * scale)), Math.max(1, Math.round(boxH * scale))];
  const patch = resample(ink, width, left, top, boxW, boxH, w, h);
  // The patch's centre of mass, moved to (14, 14) of the 28x28 field (MNIST's centring).
  let [mass, cx, cy] = [0, 0, 0];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = patch[y * w + x];
      mass += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
    }
  }
  const dx = clamp(Math.round(14 - cx / mass), 0, 28 - w);
  const dy = clamp(Math.round(14 - cy / mass), 0, 28 - h);
  const out = new Float32Array(28 * 28);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[(y + dy) * 28 + x + dx] = patch[y * w + x];
  return out;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** The box (left, top, boxW, boxH) of src resized to w x h, each output pixel the mean of the area it covers. */
function resample(src: Float32Array, width: number, left: number, top: number, boxW: number, boxH: number, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  const [sx, sy] = [boxW / w, boxH / h];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let [sum, area] = [0, 0];
      const [x0, x1, y0, y1] = [x * sx, (x + 1) * sx, y * sy, (y + 1) * sy];
      for (let py = Math.floor(y0); py < Math.ceil(y1); py++) {
        const cover = Math.min(y1, py + 1) - Math.max(y0, py);
        for (let px = Math.floor(x0); px < Math.ceil(x1); px++) {
          const weight = cover * (Math.min(x1, px + 1) - Math.max(x0, px));
          sum += weight * src[(top + py) * width + left + px];
          area += weight;
        }
      }
      out[y * w + x] = sum / area;
    }
  }
  return out;
}
