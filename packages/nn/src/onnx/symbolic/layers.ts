import type { Tensor } from '@wick/core';
import { attr, unsupported, type GraphBuilder, type OpCall } from '../graph';
import type { SymbolicTable } from './table';

type Size2 = number | readonly [number, number];

const pair = (v: Size2): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

/** ONNX's pads: every spatial dim's start, then every dim's end. */
const symmetricPads = (p: [number, number]): number[] => [p[0], p[1], p[0], p[1]];

/**
 * Runs `emit` on x as a batch: ONNX's convolutions and poolings take (N, C, H, W) only, so an
 * unbatched (C, H, W) input gets a batch of one around the node, as Wick's own ops do.
 */
function batched(g: GraphBuilder, x: Tensor, spatial: number, emit: (input: string) => string): string[] {
  if (x.ndim === spatial + 2) return [emit(g.input(x))];
  const [input] = g.node('Unsqueeze', [g.input(x), g.ints([0])]);
  return g.node('Squeeze', [emit(input), g.ints([0])]);
}

/** An optional per-channel tensor, or a constant of `fill` when absent (ONNX wants it present). */
function orFilled(g: GraphBuilder, t: Tensor | null | undefined, fill: number, like: Tensor, shape: readonly number[]): string {
  if (t !== null && t !== undefined) return g.operand(t, like.dtype);
  return g.constant(like.dtype, shape, new Array<number>(shape.reduce((n, s) => n * s, 1)).fill(fill));
}

/** The fixed sizes of x's spatial dims, or a refusal naming the op when one varies. */
function fixedSpatial(g: GraphBuilder, op: string, x: Tensor): [number, number] {
  const dynamic = g.dynamic(x);
  if (dynamic.slice(-2).some((d) => d)) unsupported(`${op} with an output size other than 1 over spatial dims that vary with the dynamic axes has no ONNX form`);
  return [x.shape[x.ndim - 2], x.shape[x.ndim - 1]];
}

/** adaptive{Avg,Max}Pool2d: global pooling for a 1x1 output, else a fixed pooling where windows tile evenly. */
function adaptive(op: string, global: string, windowed: string) {
  return (g: GraphBuilder, c: OpCall): string[] => {
    const x = c.args[0] as Tensor;
    const out = c.outputs[0];
    const [oh, ow] = out.shape.slice(-2);
    if (oh === 1 && ow === 1) return batched(g, x, 2, (input) => g.node(global, [input])[0]);
    const [h, w] = fixedSpatial(g, op, x);
    if (h % oh !== 0 || w % ow !== 0) {
      unsupported(`${op} from ${h}x${w} to ${oh}x${ow}: windows of unequal sizes have no ONNX form (sizes that divide the input's export as ${windowed})`);
    }
    const kernel = [h / oh, w / ow];
    return batched(g, x, 2, (input) => g.node(windowed, [input], { kernel_shape: attr.ints(kernel), strides: attr.ints(kernel) })[0]);
  };
}

/** Linear layers, convolutions, pooling, normalization and padding. */
export const layers: SymbolicTable = {
  // torch's exporter writes Gemm for a matrix input, MatMul and Add otherwise.
  linear: (g, c) => {
    const [x, weight, bias] = c.args as [Tensor, Tensor, Tensor | null | undefined];
    const hasBias = bias !== null && bias !== undefined;
    if (x.ndim === 2) {
      return g.node('Gemm', [g.input(x), g.input(weight), ...(hasBias ? [g.input(bias)] : [])], { transB: attr.int(1) });
    }
    const [product] = g.node('MatMul', [g.input(x), g.node('Transpose', [g.input(weight)], { perm: attr.ints([1, 0]) })[0]]);
    return hasBias ? g.node('Add', [product, g.input(bias)]) : [product];
  },
  matmul: (g, c) => {
    const [a, b] = c.args as [Tensor, Tensor];
    const dtype = c.outputs[0].dtype;
    return g.node('MatMul', [g.operand(a, dtype), g.operand(b, dtype)]);
  },
  conv2d: (g, c) => {
    const [x, weight, bias, options = {}] = c.args as [Tensor, Tensor, Tensor | null | undefined, { stride?: Size2; padding?: Size2 | 'valid' | 'same'; dilation?: Size2; groups?: number } | undefined];
    const { stride = 1, padding = 0, dilation = 1, groups = 1 } = options;
    const kernel = weight.shape.slice(2);
    const d = pair(dilation);
    let pads: number[];
    if (padding === 'same') {
      // dilation (k - 1) zeros per dim, the odd one at the end, as torch pads (written out: ONNX
      // Runtime refuses auto_pad SAME_UPPER with dilation).
      const total = kernel.map((k, i) => d[i] * (k - 1));
      const before = total.map((t) => Math.floor(t / 2));
      pads = [...before, ...total.map((t, i) => t - before[i])];
    } else pads = padding === 'valid' ? [0, 0, 0, 0] : symmetricPads(pair(padding));
    const dtype = c.outputs[0].dtype;
    const inputs = (input: string) => [g.cast(input, x.dtype, dtype), g.operand(weight, dtype), ...(bias ? [g.operand(bias, dtype)] : [])];
    return batched(g, x, 2, (input) =>
      g.node('Conv', inputs(input), {
        kernel_shape: attr.ints(kernel), strides: attr.ints(pair(stride)), pads: attr.ints(pads), dilations: attr.ints(d), group: attr.int(groups),
      })[0],
    );
  },
  convTranspose2d: (g, c) => {
    const [x, weight, bias, options = {}] = c.args as [Tensor, Tensor, Tensor | null | undefined, { stride?: Size2; padding?: Size2; outputPadding?: Size2; dilation?: Size2; groups?: number } | undefined];
    const { stride = 1, padding = 0, outputPadding = 0, dilation = 1, groups = 1 } = options;
    const dtype = c.outputs[0].dtype;
    const inputs = (input: string) => [g.cast(input, x.dtype, dtype), g.operand(weight, dtype), ...(bias ? [g.operand(bias, dtype)] : [])];
    return batched(g, x, 2, (input) =>
      g.node('ConvTranspose', inputs(input), {
        kernel_shape: attr.ints(weight.shape.slice(2)), strides: attr.ints(pair(stride)), pads: attr.ints(symmetricPads(pair(padding))),
        output_padding: attr.ints(pair(outputPadding)), dilations: attr.ints(pair(dilation)), group: attr.int(groups),
      })[0],
    );
  },
  maxPool2d: (g, c) => {
    const [x, kernelSize, options = {}] = c.args as [Tensor, Size2, { stride?: Size2 | null; padding?: Size2; dilation?: Size2; ceilMode?: boolean; returnIndices?: boolean } | undefined];
    const { stride, padding = 0, dilation = 1, ceilMode = false, returnIndices = false } = options;
    if (returnIndices) unsupported('maxPool2d with returnIndices: ONNX counts indices over the whole tensor, torch within each channel; export the values only');
    return batched(g, x, 2, (input) =>
      g.node('MaxPool', [input], {
        kernel_shape: attr.ints(pair(kernelSize)), strides: attr.ints(pair(stride ?? kernelSize)), pads: attr.ints(symmetricPads(pair(padding))),
        dilations: attr.ints(pair(dilation)), ceil_mode: attr.int(ceilMode ? 1 : 0),
      })[0],
    );
  },
  avgPool2d: (g, c) => {
    const [x, kernelSize, options = {}] = c.args as [Tensor, Size2, { stride?: Size2 | null; padding?: Size2; ceilMode?: boolean; countIncludePad?: boolean; divisorOverride?: number | null } | undefined];
    const { stride, padding = 0, ceilMode = false, countIncludePad = true, divisorOverride = null } = options;
    if (divisorOverride !== null) unsupported('avgPool2d with divisorOverride has no ONNX form');
    if (ceilMode) unsupported("avgPool2d with ceilMode: ONNX Runtime divides the windows that overhang the input differently from torch; export with ceilMode off");
    return batched(g, x, 2, (input) =>
      g.node('AveragePool', [input], {
        kernel_shape: attr.ints(pair(kernelSize)), strides: attr.ints(pair(stride ?? kernelSize)), pads: attr.ints(symmetricPads(pair(padding))),
        count_include_pad: attr.int(countIncludePad ? 1 : 0),
      })[0],
    );
  },
  adaptiveAvgPool2d: adaptive('adaptiveAvgPool2d', 'GlobalAveragePool', 'AveragePool'),
  adaptiveMaxPool2d: (g, c) => {
    const options = (c.args[2] ?? {}) as { returnIndices?: boolean };
    if (options.returnIndices === true) unsupported('adaptiveMaxPool2d with returnIndices: ONNX counts indices over the whole tensor, torch within each channel; export the values only');
    return adaptive('adaptiveMaxPool2d', 'GlobalMaxPool', 'MaxPool')(g, c);
  },
  batchNorm: (g, c) => {
    const [x, mean, variance, options = {}] = c.args as [Tensor, Tensor | null, Tensor | null, { weight?: Tensor | null; bias?: Tensor | null; training?: boolean; eps?: number } | undefined];
    const { weight, bias, training = false, eps = 1e-5 } = options;
    if (training || mean === null || variance === null) {
      unsupported('batchNorm normalizing with the batch\'s own statistics (training mode, or no running statistics) has no ONNX form here; export a model in eval mode with trackRunningStats');
    }
    const channels = [x.shape[1]];
    return g.node('BatchNormalization', [
      g.input(x), orFilled(g, weight, 1, x, channels), orFilled(g, bias, 0, x, channels), g.operand(mean, x.dtype), g.operand(variance, x.dtype),
    ], { epsilon: attr.float(eps) });
  },
  layerNorm: (g, c) => {
    const [x, normalizedShape, options = {}] = c.args as [Tensor, number | readonly number[], { weight?: Tensor | null; bias?: Tensor | null; eps?: number } | undefined];
    const { weight, bias, eps = 1e-5 } = options;
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape;
    return g.node('LayerNormalization', [g.input(x), orFilled(g, weight, 1, x, shape), orFilled(g, bias, 0, x, shape)], {
      axis: attr.int(-shape.length), epsilon: attr.float(eps),
    });
  },
  // Opset 17 has no GroupNormalization: normalize each group over (N, G, rest) with the biased
  // variance, then scale and shift per channel.
  groupNorm: (g, c) => {
    const [x, groups, options = {}] = c.args as [Tensor, number, { weight?: Tensor | null; bias?: Tensor | null; eps?: number } | undefined];
    const { weight, bias, eps = 1e-5 } = options;
    const input = g.input(x);
    const [grouped] = g.node('Reshape', [input, g.ints([0, groups, -1])]);
    const [mean] = g.node('ReduceMean', [grouped], { axes: attr.ints([2]), keepdims: attr.int(1) });
    const [centred] = g.node('Sub', [grouped, mean]);
    const [variance] = g.node('ReduceMean', [g.node('Mul', [centred, centred])[0]], { axes: attr.ints([2]), keepdims: attr.int(1) });
    const [std] = g.node('Sqrt', [g.node('Add', [variance, g.scalar(eps, x.dtype)])[0]]);
    let [y] = g.node('Reshape', [g.node('Div', [centred, std])[0], g.node('Shape', [input])[0]]);
    const perChannel = [x.shape[1], ...x.shape.slice(2).map(() => 1)];
    if (weight) [y] = g.node('Mul', [y, g.node('Reshape', [g.input(weight), g.ints(perChannel)])[0]]);
    if (bias) [y] = g.node('Add', [y, g.node('Reshape', [g.input(bias), g.ints(perChannel)])[0]]);
    return [y];
  },
  pad: (g, c) => {
    const [x, padding, options = {}] = c.args as [Tensor, readonly number[], { mode?: string; value?: number } | undefined];
    const { mode = 'constant', value = 0 } = options;
    const onnxMode = { constant: 'constant', reflect: 'reflect', replicate: 'edge' }[mode];
    if (onnxMode === undefined) unsupported(`pad with mode '${mode}' has no ONNX form in opset 17 (constant, reflect and replicate do)`);
    // torch lists (start, end) pairs from the last dim backwards; ONNX all starts, then all ends.
    const starts = x.shape.map(() => 0);
    const ends = x.shape.map(() => 0);
    for (let i = 0; i < padding.length / 2; i++) {
      starts[x.ndim - 1 - i] = padding[2 * i];
      ends[x.ndim - 1 - i] = padding[2 * i + 1];
    }
    const inputs = [g.input(x), g.ints([...starts, ...ends])];
    if (onnxMode === 'constant') inputs.push(g.scalar(value, x.dtype));
    return g.node('Pad', inputs, { mode: attr.string(onnxMode) });
  },
  nllLoss: () => unsupported('losses are not exported: export the model that produces the scores and compute the loss outside it'),
  crossEntropy: () => unsupported('losses are not exported: export the model that produces the scores and compute the loss outside it'),
};
