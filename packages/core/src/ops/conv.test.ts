import { describeEachBackend, testOp, type GoldenCase } from '@wick/test-harness';
import golden from '../../golden/conv.json';
import { adaptiveAvgPool1d, adaptiveAvgPool2d, adaptiveMaxPool2d, avgPool1d, avgPool2d, conv1d, conv2d, convTranspose2d, fold, maxPool1d, maxPool2d, pad, randn, tensor, unfold, zeros, type PadMode, type Size2, type Tensor } from '../index';
import * as testing from '../testing';

type Kw = Record<string, unknown>;
type ConvCase = GoldenCase & { fn: string; extra?: testing.EncodedTensor };

const size = (v: unknown) => v as Size2;
const opt = <T>(v: unknown): T | undefined => (v === undefined ? undefined : (v as T));

/** Mirrors the functions of scripts/golden/conv_pool.py, torch's keyword names mapped to Wick's options. */
const FNS: Record<string, (x: Tensor[], kw: Kw) => Tensor> = {
  unfold: ([x], kw) => unfold(x, size(kw.kernel_size), { stride: opt(kw.stride), padding: opt(kw.padding), dilation: opt(kw.dilation) }),
  fold: ([x], kw) => fold(x, size(kw.output_size), size(kw.kernel_size), { stride: opt(kw.stride), padding: opt(kw.padding), dilation: opt(kw.dilation) }),
  conv2d: ([x, w, b = null], kw) => conv2d(x, w, b, { stride: opt(kw.stride), padding: opt(kw.padding), dilation: opt(kw.dilation), groups: opt(kw.groups) }),
  conv1d: ([x, w, b = null], kw) => conv1d(x, w, b, { stride: opt(kw.stride), padding: opt(kw.padding), dilation: opt(kw.dilation), groups: opt(kw.groups) }),
  conv_transpose2d: ([x, w, b = null], kw) =>
    convTranspose2d(x, w, b, { stride: opt(kw.stride), padding: opt(kw.padding), outputPadding: opt(kw.output_padding), groups: opt(kw.groups), dilation: opt(kw.dilation) }),
  pad: ([x], kw) => pad(x, kw.pad as number[], { mode: opt<PadMode>(kw.mode), value: opt(kw.value) }),
  max_pool2d: ([x], kw) => maxPool2d(x, size(kw.kernel_size), { stride: opt(kw.stride), padding: opt(kw.padding), dilation: opt(kw.dilation), ceilMode: opt(kw.ceil_mode) }),
  max_pool1d: ([x], kw) => maxPool1d(x, kw.kernel_size as number, { stride: opt(kw.stride), padding: opt(kw.padding), ceilMode: opt(kw.ceil_mode) }),
  avg_pool2d: ([x], kw) =>
    avgPool2d(x, size(kw.kernel_size), {
      stride: opt(kw.stride), padding: opt(kw.padding), ceilMode: opt(kw.ceil_mode), countIncludePad: opt(kw.count_include_pad), divisorOverride: opt(kw.divisor_override),
    }),
  avg_pool1d: ([x], kw) => avgPool1d(x, kw.kernel_size as number, { stride: opt(kw.stride), padding: opt(kw.padding), countIncludePad: opt(kw.count_include_pad) }),
  adaptive_avg_pool2d: ([x], kw) => adaptiveAvgPool2d(x, kw.output_size as [number | null, number | null]),
  adaptive_avg_pool1d: ([x], kw) => adaptiveAvgPool1d(x, kw.output_size as number),
  adaptive_max_pool2d: ([x], kw) => adaptiveMaxPool2d(x, kw.output_size as [number | null, number | null]),
};

const cases = golden.cases as ConvCase[];

describeEachBackend('windowed ops', () => {
  // Weight gradients sum a hundred or more float32 products that largely cancel: an absolute
  // tolerance of 1e-5 covers the different summation orders (float64 cases check the math to 1e-10).
  testOp('unfold, fold, convolutions, pad and pooling', { cases, run: (inputs, c) => FNS[c.fn](inputs, c.kw), tol: { rtol: 1e-5, atol: 1e-5 } });

  test.each(cases.filter((c) => c.extra !== undefined).map((c) => [c.name, c] as const))('returnIndices: %s', (_name, c) => {
    const [x] = c.inputs.map((e) => testing.decodeTensor(e));
    const kw = c.kw;
    const [values, indices] =
      c.fn === 'adaptive_max_pool2d'
        ? adaptiveMaxPool2d(x, kw.output_size as [number | null, number | null], { returnIndices: true })
        : maxPool2d(x, size(kw.kernel_size), {
          stride: opt(kw.stride), padding: opt(kw.padding), dilation: opt(kw.dilation), ceilMode: opt(kw.ceil_mode), returnIndices: true,
        });
    testing.assertClose(values, testing.decodeTensor(c.output));
    expect(indices.toArray()).toEqual(testing.decodeTensor(c.extra as testing.EncodedTensor, 'float64').toArray());
    expect(indices.dtype).toBe('int64');
  });
});

describeEachBackend('conv2d, its own kernels', () => {
  // The kernels against the composition they replace (conv2dReference): unfold, then a product
  // with each group's weights, then the bias added per channel. Cases with and without a bias, of
  // one group, of two, depthwise (a group per input channel, two outputs each), and of a single
  // output channel; then thin ones (one or two outputs per group) with unit strides, whose
  // windows come from padded planes: dilated, with outputs and inputs less than four wide, with
  // more padding than the kernel's extent, and a dilated 3x3 depthwise one; last, passes whose
  // products read the padded planes in place (directProduct in wasm), rows of positions not a
  // multiple of 8 and, in the second, 10 output channels (a partial 4-row panel) per group; then
  // a deeper forward (216 terms) and a deeper input gradient.
  test.each([
    [[2, 3, 7, 6], [4, 3, 3, 2], { stride: [2, 1], padding: [1, 0], dilation: [1, 2] }, 1, true],
    [[1, 2, 5, 5], [3, 2, 2, 2], {}, 1, false],
    [[3, 4, 6, 7], [6, 2, 3, 3], { padding: 1 }, 2, true],
    [[2, 3, 8, 8], [6, 1, 3, 3], { stride: 2, padding: 1, dilation: [2, 1] }, 3, false],
    [[2, 3, 7, 6], [1, 3, 3, 2], { padding: [0, 1] }, 1, true],
    [[2, 4, 5, 3], [4, 1, 3, 2], { padding: [2, 1], dilation: [1, 2] }, 4, true],
    [[1, 2, 4, 9], [2, 2, 2, 2], { padding: [3, 2] }, 1, false],
    [[2, 2, 6, 5], [2, 1, 3, 3], { padding: 2, dilation: 2 }, 2, true],
    [[2, 8, 9, 10], [8, 8, 3, 3], { padding: 1 }, 1, true],
    [[2, 16, 11, 12], [20, 8, 3, 2], { padding: [2, 1], dilation: 2 }, 2, false],
    [[1, 24, 9, 9], [8, 24, 3, 3], { padding: 1 }, 1, true],
    [[1, 8, 9, 9], [24, 8, 3, 3], { padding: 1 }, 1, false],
  ] as const)('equals unfold + matmul + add, outputs and gradients: input %j, weight %j, %j, groups %i', (xShape, wShape, options, groups, withBias) => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = randn([...xShape], { dtype, requiresGrad: true });
      const w = randn([...wShape], { dtype, requiresGrad: true });
      const b = withBias ? randn([wShape[0]], { dtype, requiresGrad: true }) : null;
      const fused = conv2d(x, w, b, { ...options, groups });
      const composed = testing.conv2dReference(x, w, b, options, groups);
      const tol = dtype === 'float64' ? { rtol: 1e-12, atol: 1e-12 } : { rtol: 1e-5, atol: 1e-5 };
      testing.assertClose(fused, composed, tol);
      const g = randn([...fused.shape], { dtype });
      fused.backward(g);
      const leaves = b === null ? [x, w] : [x, w, b];
      const grads = leaves.map((t) => t.grad as Tensor);
      for (const t of leaves) t.grad = null;
      composed.backward(g);
      leaves.forEach((t, i) => testing.assertClose(grads[i], t.grad as unknown as Tensor, tol));
    }
  });
});

describeEachBackend('average pooling, its own kernels', () => {
  /** The pooled tensor and its composed reference agree, and so do the gradients they give the input. */
  function agree(x: Tensor, fast: Tensor, composed: Tensor, tol: testing.CloseOptions): void {
    testing.assertClose(fast, composed, tol);
    const g = randn([...fast.shape], { dtype: x.dtype });
    fast.backward(g);
    const gx = x.grad as Tensor;
    x.grad = null;
    composed.backward(g);
    testing.assertClose(gx, x.grad as unknown as Tensor, tol);
  }
  const tolerance = (dtype: 'float32' | 'float64') => (dtype === 'float64' ? { rtol: 1e-12, atol: 1e-12 } : { rtol: 1e-5, atol: 1e-6 });

  test.each([
    [[2, 3, 9, 8], 3, 2, 1, false, true, null],
    [[2, 3, 9, 8], 3, 2, 1, false, false, null],
    [[1, 2, 7, 6], 3, 2, 1, true, true, null],
    [[1, 2, 7, 6], 3, 2, 1, true, false, null],
    [[2, 3, 6, 6], 2, 2, 0, false, true, 3],
    [[3, 8, 7], 2, 1, 0, false, true, null],
  ] as const)('avgPool2d equals pad + unfold + sums over counts: input %j, kernel %i, stride %i, padding %i, ceilMode %s, countIncludePad %s, divisorOverride %s', (shape, k, s, p, ceilMode, countIncludePad, divisorOverride) => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = randn([...shape], { dtype, requiresGrad: true });
      const fast = avgPool2d(x, k, { stride: s, padding: p, ceilMode, countIncludePad, divisorOverride });
      const [oh, ow] = fast.shape.slice(-2);
      agree(x, fast, testing.avgPool2dReference(x, [k, k], [s, s], [p, p], countIncludePad, divisorOverride, [oh, ow]), tolerance(dtype));
    }
  });

  test.each([
    [[2, 3, 10, 9], [4, 5]],
    [[4, 5, 6], [1, 1]],
    [[1, 2, 7, 5], [3, 5]],
  ] as const)('adaptiveAvgPool2d equals means over narrowed rows and columns: input %j, output %j', (shape, [oh, ow]) => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = randn([...shape], { dtype, requiresGrad: true });
      agree(x, adaptiveAvgPool2d(x, [oh, ow]), testing.adaptiveAvgPool2dReference(x, oh, ow), tolerance(dtype));
    }
  });
});

describeEachBackend('maxPool2d, its own kernels', () => {
  test('equals its composition pad(-inf) + unfold + max, values and gradients', () => {
    const x = randn([2, 3, 9, 8], { requiresGrad: true });
    const [k, s, p] = [3, 2, 1];
    const fast = maxPool2d(x, k, { stride: s, padding: p });
    const cols = unfold(pad(x, [p, p, p, p], { value: -Infinity }), k, { stride: s });
    const composed = cols.reshape(2, 3, k * k, -1).max(2).values.reshape(fast.shape);
    testing.assertClose(fast, composed);
    const g = randn([...fast.shape]);
    fast.backward(g);
    const gx = x.grad as Tensor;
    x.grad = null;
    composed.backward(g);
    testing.assertClose(gx, x.grad as unknown as Tensor);
  });

  test("NaN wins its window and -infinity windows keep their first element, as torch's kernel", () => {
    const x = tensor(Float32Array.from([1, NaN, 3, -Infinity, -Infinity, 2, -Infinity, -Infinity]), { shape: [1, 1, 2, 4] });
    const [values, indices] = maxPool2d(x, 2, { returnIndices: true });
    expect(values.toArray()).toEqual([[[[NaN, 3]]]]);
    expect(indices.toArray()).toEqual([[[[1, 2]]]]);
    const [, allInf] = maxPool2d(tensor(Float32Array.from([-Infinity, -Infinity, -Infinity, -Infinity]), { shape: [1, 1, 2, 2] }), 2, { returnIndices: true });
    expect(allInf.toArray()).toEqual([[[[0]]]]);
    const [, lastNan] = maxPool2d(tensor(Float32Array.from([NaN, NaN, 0, 1]), { shape: [1, 1, 2, 2] }), 2, { returnIndices: true });
    expect(lastNan.toArray()).toEqual([[[[1]]]]);
  });

  // Windows that overlap (10 rows into 4, 9 columns into 5) and a window of the whole image.
  test.each([
    [[2, 3, 10, 9], [4, 5]],
    [[4, 5, 6], [1, 1]],
  ] as const)('adaptiveMaxPool2d equals its composition narrow + max, values and gradients: input %j, output %j', (shape, [oh, ow]) => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = randn([...shape], { dtype, requiresGrad: true });
      const fast = adaptiveMaxPool2d(x, [oh, ow]);
      const composed = testing.adaptiveMaxPool2dReference(x, oh, ow);
      testing.assertClose(fast, composed, { rtol: 0, atol: 0 });
      const g = randn([...fast.shape], { dtype });
      fast.backward(g);
      const gx = x.grad as Tensor;
      x.grad = null;
      composed.backward(g);
      // An element that wins two overlapping windows sums their gradients in another order.
      testing.assertClose(gx, x.grad as unknown as Tensor, dtype === 'float64' ? { rtol: 1e-12, atol: 1e-12 } : { rtol: 1e-6, atol: 1e-6 });
    }
  });

  test("adaptiveMaxPool2d: NaN wins its window, ties and -infinity windows keep their first element, as torch's kernel", () => {
    // Windows of 3 columns starting at 0, 2 and 4 (7 into 3): NaN, a tie of 5s, then -infinity.
    const x = tensor(Float32Array.from([1, NaN, 5, 0, 5, -Infinity, -Infinity]), { shape: [1, 1, 1, 7] });
    const [values, indices] = adaptiveMaxPool2d(x, [1, 3], { returnIndices: true });
    expect(values.toArray()).toEqual([[[[NaN, 5, 5]]]]);
    expect(indices.toArray()).toEqual([[[[1, 2, 4]]]]);
    const [, allInf] = adaptiveMaxPool2d(tensor(Float32Array.from([-Infinity, -Infinity, -Infinity]), { shape: [1, 1, 3] }), [1, 1], { returnIndices: true });
    expect(allInf.toArray()).toEqual([[[0]]]);
  });
});

describe('bad input gets a clear error naming the op and the values', () => {
  const x = randn([1, 4, 5, 5]);
  test('convolution shapes', () => {
    expect(() => conv2d(x, randn([2, 4, 7, 3]))).toThrow('conv2d: the kernel 7x3 (dilation 1x1) is larger than the padded input 5x5 of shape [1, 4, 5, 5] with padding 0x0');
    expect(() => conv2d(x, randn([6, 2, 3, 3]), null, { groups: 3 })).toThrow('conv2d: input channels (4) must be divisible by groups (3)');
    expect(() => conv2d(x, randn([2, 3, 3, 3]))).toThrow('expects 3 input channels, but the input of shape [1, 4, 5, 5] has 4');
    expect(() => conv2d(randn([4, 5]), randn([2, 4, 3, 3]))).toThrow('conv2d: expected a 3-D (unbatched) or 4-D (batched) input, got shape [4, 5]');
    expect(() => conv2d(x, randn([2, 4, 3, 3]), randn([3]))).toThrow('conv2d: bias must be a 1-D tensor of 2 values, got shape [3]');
    expect(() => conv2d(x, randn([2, 4, 3, 3], { dtype: 'float64' }))).toThrow('conv2d: expected the input, weight of one dtype (as torch), got float32, float64');
    expect(() => conv2d(x, randn([2, 4, 3, 3]), randn([2], { dtype: 'float64' }))).toThrow('conv2d: expected the input, weight and bias of one dtype (as torch), got float32, float32, float64');
    expect(() => conv2d(x, randn([2, 4, 3, 3]), null, { padding: 'same', stride: 2 })).toThrow("conv2d: padding='same' is not supported for strided convolutions");
    expect(() => conv2d(x, randn([2, 4, 3, 3]), null, { stride: 0 })).toThrow('conv2d: stride must be an integer >= 1 or a pair of them, got 0');
    expect(() => convTranspose2d(x, randn([4, 2, 3, 3]), null, { stride: 2, outputPadding: 2 })).toThrow(
      'convTranspose2d: outputPadding (2) must be smaller than either stride (2) or dilation (1)',
    );
  });

  test('pooling and padding', () => {
    expect(() => maxPool2d(x, 3, { padding: 2 })).toThrow('maxPool2d: pad should be smaller than or equal to half of kernel size, but got pad = 2, kernel = 3');
    expect(() => maxPool2d(x, 7)).toThrow('maxPool2d: the kernel 7 (dilation 1) is larger than the padded input 5');
    expect(() => avgPool2d(randn([5, 5]), 2)).toThrow('avgPool2d: expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got shape [5, 5]');
    expect(() => pad(x, [5, 0], { mode: 'reflect' })).toThrow('pad: reflect padding of (5, 0) does not fit dim 3 of size 5 in shape [1, 4, 5, 5] (it must be smaller than the size)');
    expect(() => pad(x, [1, 1, 1])).toThrow('pad: padding must be integer (before, after) pairs');
    expect(() => fold(zeros([1, 8, 5]), [4, 4], 2)).toThrow('fold: given outputSize 4x4, kernelSize 2x2 and the options, expected 9 blocks (3x3), but the input has 5');
  });

  test('a failed call leaves the input and its gradient untouched', () => {
    const w = randn([2, 4, 3, 3], { requiresGrad: true });
    expect(() => conv2d(x, w, randn([5]))).toThrow();
    expect(w.grad).toBeNull();
  });
});
