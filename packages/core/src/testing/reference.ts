import { full, matmul, ones, pad, stack, unfold, type Tensor, type WindowOptions } from '../index';

/**
 * Batch normalization composed of reductions and arithmetic, per channel of a (N, C, ...) input:
 * (x - mean) / sqrt(variance + eps), times weight, plus bias (either null to skip). The reference
 * batchNorm's own kernels are tested and benchmarked against: pass the batch's mean and biased
 * variance (`x.mean(dims)`, `x.var(dims, { correction: 0 })`) for training, through which the
 * gradient then flows, or the running statistics for evaluation.
 */
export function batchNormReference(x: Tensor, mean: Tensor, variance: Tensor, weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  const shape = [1, x.shape[1], ...new Array<number>(x.ndim - 2).fill(1)];
  let out = x.sub(mean.reshape(shape)).div(variance.add(eps).sqrt().reshape(shape));
  if (weight !== null) out = out.mul(weight.reshape(shape));
  if (bias !== null) out = out.add(bias.reshape(shape));
  return out;
}

/**
 * Layer normalization composed of reductions and arithmetic: each sample normalized over its last
 * `dims` dims by their mean and biased variance, then times weight, plus bias (elementwise, either
 * null to skip). The reference layerNorm's own kernels are tested and benchmarked against.
 */
export function layerNormReference(x: Tensor, dims: number, weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  const normalized = Array.from({ length: dims }, (_, i) => x.ndim - dims + i);
  const mean = x.mean(normalized, true);
  const variance = x.var(normalized, { correction: 0, keepdim: true });
  let out = x.sub(mean).div(variance.add(eps).sqrt());
  if (weight !== null) out = out.mul(weight);
  if (bias !== null) out = out.add(bias);
  return out;
}

/**
 * 2-D average pooling composed of pad, unfold and sums, for a (N, C, H, W) or (C, H, W) input and
 * the output size the pooling gives: each window's sum over the zero-padded input, divided by
 * divisorOverride or by the count of its elements inside the input (and inside the padding, with
 * countIncludePad), never those of the margin ceilMode adds past the padding, as torch counts.
 * The reference avgPool2d's own kernels are tested and benchmarked against.
 */
export function avgPool2dReference(
  x: Tensor, kernel: [number, number], stride: [number, number], padding: [number, number], countIncludePad: boolean,
  divisorOverride: number | null, outSize: [number, number],
): Tensor {
  const batched = x.ndim === 3 ? x.unsqueeze(0) : x;
  const [n, c, height, width] = batched.shape;
  const [[kh, kw], [sh, sw], [ph, pw], [oh, ow]] = [kernel, stride, padding, outSize];
  const margin = [Math.max(0, (ow - 1) * sw + kw - width - 2 * pw), Math.max(0, (oh - 1) * sh + kh - height - 2 * ph)];
  const sums = unfold(pad(batched, [pw, pw + margin[0], ph, ph + margin[1]]), kernel, { stride }).reshape(n, c, kh * kw, oh * ow).sum(2);
  let divisors: Tensor;
  if (divisorOverride !== null) {
    divisors = full([oh * ow], divisorOverride, { dtype: x.dtype });
  } else {
    const counted = pad(ones([1, 1, height, width], { dtype: x.dtype }), [pw, pw, ph, ph], { value: countIncludePad ? 1 : 0 });
    divisors = unfold(pad(counted, [0, margin[0], 0, margin[1]]), kernel, { stride }).sum(1).reshape(oh * ow);
  }
  const out = sums.div(divisors).reshape(n, c, oh, ow);
  return x.ndim === 3 ? out.squeeze(0) : out;
}

/**
 * 2-D adaptive average pooling composed of narrow, mean and stack: output (i, j) the mean of
 * torch's windows [floor(i * H / outH), ceil((i + 1) * H / outH)) of rows and the same of
 * columns, taken over the rows, then over the columns. The reference adaptiveAvgPool2d's own
 * kernels are tested and benchmarked against.
 */
export function adaptiveAvgPool2dReference(x: Tensor, outH: number, outW: number): Tensor {
  const mean = (window: Tensor, dim: number) => window.mean(dim);
  return adaptiveReduce(adaptiveReduce(x, x.ndim - 2, outH, mean), x.ndim - 1, outW, mean);
}

/** A reduction over each of torch's adaptive windows along one dim, [floor(i * size / out), ceil((i + 1) * size / out)), stacked. */
function adaptiveReduce(t: Tensor, dim: number, out: number, reduce: (window: Tensor, dim: number) => Tensor): Tensor {
  const size = t.shape[dim];
  const windows = Array.from({ length: out }, (_, i) => {
    const start = Math.floor((i * size) / out);
    return reduce(t.narrow(dim, start, Math.ceil(((i + 1) * size) / out) - start), dim);
  });
  return stack(windows, dim);
}

/**
 * 2-D convolution of a (N, C, H, W) input with (O, C / groups, kh, kw) weights composed of unfold
 * and a batched product: (N, G, C/G * kh * kw, L) columns times (G, O/G, C/G * kh * kw) weights,
 * then the bias added per channel (null to skip). The reference conv2d's own kernels are tested
 * and benchmarked against; padding is symmetric (conv2d resolves 'same' before its kernels).
 */
export function conv2dReference(x: Tensor, weight: Tensor, bias: Tensor | null, windows: WindowOptions, groups: number): Tensor {
  const [n, , h, w] = x.shape;
  const [outChannels, groupChannels, kh, kw] = weight.shape;
  const two = (v: number | readonly number[] | undefined, fallback: number) => (v === undefined ? [fallback, fallback] : typeof v === 'number' ? [v, v] : v);
  const [stride, padding, dilation] = [two(windows.stride, 1), two(windows.padding, 0), two(windows.dilation, 1)];
  const [oh, ow] = [h, w].map((size, i) => Math.floor((size + 2 * padding[i] - dilation[i] * ([kh, kw][i] - 1) - 1) / stride[i]) + 1);
  const cols = unfold(x, [kh, kw], windows).reshape(n, groups, groupChannels * kh * kw, oh * ow);
  const out = matmul(weight.reshape(groups, outChannels / groups, groupChannels * kh * kw), cols).reshape(n, outChannels, oh, ow);
  return bias === null ? out : out.add(bias.reshape(1, outChannels, 1, 1));
}

/**
 * 2-D adaptive max pooling composed of narrow, max and stack, for a (N, C, H, W) or (C, H, W)
 * input: the maximum over each adaptive window's columns, then over those rows' maxima, so that
 * on ties the first maximum in row-major order wins (and gets the gradient), as torch's. The
 * reference adaptiveMaxPool2d's own kernels are tested and benchmarked against.
 */
export function adaptiveMaxPool2dReference(x: Tensor, outH: number, outW: number): Tensor {
  const max = (window: Tensor, dim: number) => window.max(dim).values;
  return adaptiveReduce(adaptiveReduce(x, x.ndim - 1, outW, max), x.ndim - 2, outH, max);
}
