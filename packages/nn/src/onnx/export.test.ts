/** @jest-environment ./test/onnxEnvironment.js */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEachBackend } from '@wick/test-harness';
import { checkerResults, expectChecked, runOnnx } from '@wick/test-onnx';
import { cat, Context, Function, Generator, manualSeed, noGrad, randint, randn, stack, tensor, trace, where, zeros, type Tensor } from '@wick/core';
import * as testing from '@wick/core/testing';
import { SYMBOLIC } from './symbolic';
import * as nn from '../index';
import {
  BatchNorm1d, BatchNorm2d, Conv2d, Dropout, Embedding, F, LayerNorm, Linear, Module, NLLLoss, onnx, Sequential,
} from '../index';

/** A model, its example input and the batch sizes the exported file must handle. */
class MLP extends Module {
  fc1 = new Linear(784, 64);
  fc2 = new Linear(64, 10);
  forward(x: Tensor): Tensor {
    return this.fc2.forward(F.relu(this.fc1.forward(x.flatten(1))));
  }
}

/** Convolutions with batch norm, and a linear head with batch norm and layer norm. */
class Normalized extends Module {
  conv = new Conv2d(3, 8, 3, { padding: 1 });
  bn = new BatchNorm2d(8);
  fc = new Linear(8 * 4 * 4, 16);
  bn1 = new BatchNorm1d(16);
  ln = new LayerNorm(16);
  drop = new Dropout(0.5);
  out = new Linear(16, 5);
  forward(x: Tensor): Tensor {
    x = F.maxPool2d(F.relu(this.bn.forward(this.conv.forward(x))), 2).flatten(1);
    x = this.ln.forward(F.relu(this.bn1.forward(this.fc.forward(x))));
    return this.out.forward(this.drop.forward(x));
  }
}

/** The shape of a text classifier: token ids, embedded, normalized, averaged, classified. */
class TextClassifier extends Module {
  embedding = new Embedding(50, 16, { paddingIdx: 0 });
  norm = new LayerNorm(16);
  fc = new Linear(16, 4);
  forward(ids: Tensor): Tensor {
    return this.fc.forward(this.norm.forward(this.embedding.forward(ids)).mean(1));
  }
}

/** A module computing `fn` of its input: each op family's cases below are one of these. */
class Lambda extends Module {
  constructor(private readonly fn: (x: Tensor) => Tensor | Tensor[]) {
    super();
  }
  forward(x: Tensor): Tensor | Tensor[] {
    return this.fn(x);
  }
}

const TOL = { rtol: 1e-5, atol: 1e-5 };
const BATCH = { input: { 0: 'batch' }, output: { 0: 'batch' } };

/** Wick's outputs for x, in eval mode without gradients, as the exported graph computes them. */
function wickOutputs(model: Module, x: Tensor): Tensor[] {
  const y = noGrad(() => (model.forward as (x: Tensor) => Tensor | Tensor[])(x));
  return Array.isArray(y) ? y : [y];
}

async function expectSameAsWick(bytes: Uint8Array, model: Module, x: Tensor): Promise<void> {
  const got = await runOnnx(bytes, { input: x });
  const want = wickOutputs(model, x);
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => {
    expect(g.dtype).toBe(want[i].dtype);
    testing.assertClose(g, want[i], TOL);
  });
}

describeEachBackend('onnx.exportModel', (backend) => {
  // Weights and folded values come out of the kernels: the plain backend's are the checked ones.
  const keep = (name: string, bytes: Uint8Array) => backend === 'cpu' && expectChecked(name, bytes);

  const models: [string, () => Module<[Tensor], Tensor>, (batch: number) => Tensor][] = [
    ['mlp', () => new MLP(), (n) => randn([n, 784])],
    ['batchnorm-layernorm', () => new Normalized(), (n) => randn([n, 3, 8, 8])],
    ['text-classifier', () => new TextClassifier(), (n) => randint(0, 50, [n, 6])],
  ];

  test.each(models)('%s runs in ONNX Runtime at batch sizes 1, 7, 64 and 1000, equal to Wick within 1e-5', async (name, make, input) => {
    manualSeed(0);
    const model = make();
    // Running statistics that are not the initial zeros and ones.
    for (let i = 0; i < 3; i++) noGrad(() => model.forward(input(16)));
    model.eval();
    const bytes = onnx.exportModel(model, [input(2)], { inputNames: ['input'], outputNames: ['output'], dynamicAxes: BATCH });
    keep(name, bytes);
    for (const n of [1, 7, 64, 1000]) await expectSameAsWick(bytes, model, input(n));
  });

  test('weights are initializers under their state-dict names; the graph input and output carry the named axes', async () => {
    manualSeed(0);
    const model = new MLP().eval();
    const bytes = onnx.exportModel(model, [randn([3, 784])], { dynamicAxes: BATCH });
    const text = new TextDecoder('latin1').decode(bytes);
    for (const key of ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias', '/fc1/Gemm', '/Relu', 'batch']) expect(text).toContain(key);
    // Without dynamic axes every size is the example's.
    const fixed = onnx.exportModel(model, [randn([3, 784])]);
    expect(new TextDecoder('latin1').decode(fixed)).not.toContain('batch');
    await expectSameAsWick(fixed, model, randn([3, 784]));
    await expect(runOnnx(fixed, { input: randn([4, 784]) })).rejects.toThrow();
  });

  test('two dynamic axes: the text classifier at other batch sizes and sequence lengths', async () => {
    manualSeed(1);
    const model = new TextClassifier().eval();
    const bytes = onnx.exportModel(model, [randint(0, 50, [2, 5])], { dynamicAxes: { input: { 0: 'batch', 1: 'sequence' }, output: { 0: 'batch' } } });
    for (const [n, s] of [[1, 1], [3, 12], [64, 40]]) await expectSameAsWick(bytes, model, randint(0, 50, [n, s]));
  });

  test('file: writes the bytes it returns; the model keeps its training mode and its forwards', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wick-onnx-'));
    try {
      const model = new Normalized();
      const file = join(dir, 'model.onnx');
      const bytes = onnx.exportModel(model, [randn([2, 3, 8, 8])], { file });
      expect(new Uint8Array(readFileSync(file))).toEqual(bytes);
      expect(model.training).toBe(true);
      expect(model.bn.training).toBe(true);
      expect(Object.hasOwn(model, 'forward') || Object.hasOwn(model.bn, 'forward')).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('constant folding replaces what depends on weights only by its value; off, the graph computes it', async () => {
    class Tied extends Module {
      fc = new Linear(6, 6);
      forward(x: Tensor): Tensor {
        return x.matmul(this.fc.weight.t().mul(2));
      }
    }
    manualSeed(2);
    const model = new Tied();
    const x = randn([4, 6]);
    const folded = onnx.exportModel(model, [x]);
    const unfolded = onnx.exportModel(model, [x], { doConstantFolding: false });
    const text = (b: Uint8Array) => new TextDecoder('latin1').decode(b);
    expect(text(folded)).not.toContain('Transpose');
    expect(text(folded)).not.toContain('fc.weight');
    expect(text(unfolded)).toContain('Transpose');
    expect(text(unfolded)).toContain('fc.weight');
    for (const bytes of [folded, unfolded]) await expectSameAsWick(bytes, model, x);
  });

  test('an output that is an input or repeats another goes out through Identity nodes under its own name', async () => {
    const model = new Lambda((x) => [x, x.relu(), x.relu()]);
    const x = randn([2, 3]);
    const relu = x.relu();
    const bytes = onnx.exportModel(model, [x], { outputNames: ['same', 'a', 'b'] });
    const got = await runOnnx(bytes, { input: x });
    testing.assertClose(got[0], x);
    testing.assertClose(got[1], relu);
    testing.assertClose(got[2], relu);
  });
});

/** One case per op family: the function, its example input, and whether the batch axis varies. */
interface OpCase {
  name: string;
  fn: (x: Tensor) => Tensor | Tensor[];
  input: (batch: number) => Tensor;
  dynamic?: boolean;
}

const images = (n: number) => randn([n, 4, 6, 6]);
const rows = (n: number) => randn([n, 5]);

/** Weights the cases read: drawn once each, so both traces of an export see the same constants. */
const weights = new Map<string, Tensor>();
const generator = new Generator().manualSeed(5);
function w(key: string, ...shape: number[]): Tensor {
  const existing = weights.get(key);
  if (existing !== undefined) return existing;
  const made = randn(shape, { generator });
  weights.set(key, made);
  return made;
}

const OP_CASES: OpCase[] = [
  { name: 'arithmetic with tensors and numbers', input: rows, fn: (x) => [x.add(1).sub(x.mul(0.5)).div(x.abs().add(2)).pow(2).maximum(x).minimum(x.neg().add(3)), x.sub(w('row', 5)).mul(w('row', 5))] },
  { name: 'powers, exp, log, sqrt', input: rows, fn: (x) => [x.abs().add(0.1).sqrt().log(), x.exp().log1p(), x.abs().add(0.5).pow(x.mul(0.2)), x.abs()] },
  { name: 'comparisons, logic, where', input: rows, fn: (x) => [x.gt(0), x.ge(0.5).logicalAnd(x.lt(1)), x.le(0).logicalOr(x.eq(x)), x.ne(0), x.isnan(), x.where(x.gt(0), -1), where(x.lt(0), 0.5, x), x.gt(w('row', 5))] },
  { name: 'integer and bool arithmetic', input: (n) => randint(-5, 6, [n, 4]), fn: (x) => [x.add(2).mul(3), x.div(2), x.gt(0).add(1), x.sum(1), x.float().mul(0.5)] },
  { name: 'activations', input: rows, fn: (x) => [x.relu(), x.sigmoid(), x.tanh(), F.leakyRelu(x, 0.2), F.elu(x, 0.7), F.silu(x), F.gelu(x), F.gelu(x, { approximate: 'tanh' }), F.hardtanh(x, -0.5, 0.5), F.logSigmoid(x.mul(30)), x.clamp(-0.3, null), x.clamp(null, 0.2), x.clamp(-0.1, 0.1), F.softplus(x.mul(30)), F.softplus(x, { beta: 2, threshold: 1 }), x.erf()] },
  { name: 'softmax and logSoftmax', input: (n) => randn([n, 3, 5]), fn: (x) => [F.softmax(x, 2), F.logSoftmax(x, 1), F.softmax(x, -1)] },
  { name: 'conversions and copies', input: rows, fn: (x) => [x.clone(), x.detach().mul(2), x.mul(3).long(), x.gt(0).float(), x.double().mul(2), x.to('float32').add(0)] },
  { name: 'reshape, view, flatten with the batch kept', input: (n) => randn([n, 2, 3, 4]), fn: (x) => [x.reshape(x.shape[0], -1), x.view(-1, 12), x.flatten(), x.flatten(1), x.flatten(2), x.flatten(0, 1), x.reshape(x.shape[0] * 2, 12), x.view(x.shape[0], 6, 4)] },
  { name: 'squeeze, unsqueeze, transpose, permute, expand', input: (n) => randn([n, 1, 3, 1]), fn: (x) => [x.squeeze(), x.squeeze(1), x.squeeze([1, 3]), x.unsqueeze(0), x.unsqueeze(-1), x.transpose(0, 2), x.permute(3, 2, 0, 1), x.expand(-1, 4, 3, 2), x.squeeze(3).squeeze(1).t().t()] },
  { name: 'slicing and padding', input: (n) => randn([n, 6, 4]), fn: (x) => [x.narrow(1, 1, 3), x.narrow(2, -2, 2), x.slice(1, 1, null, 2), x.slice(2, -3, -1), x.select(1, 2), x.select(2, -1), F.pad(x, [1, 2]), F.pad(x, [1, 1, 2, 0], { mode: 'reflect' }), F.pad(x, [2, 1], { mode: 'replicate' }), F.pad(x, [1, 0, 0, 1], { value: -2 })] },
  { name: 'cat and stack', input: rows, fn: (x) => [cat([x, x.relu()], 1), cat([x.unsqueeze(0), x.unsqueeze(0).neg()]), stack([x, x.neg()], 1), cat([x, x.gt(0)], 1)] },
  { name: 'gather, indexSelect, embedding', input: (n) => randn([n, 6]), fn: (x) => [x.gather(1, x.abs().argmax(1, true)), x.indexSelect(1, tensor([5, 0, 2, 2], { dtype: 'int64' })), F.embedding(x.abs().argmax(1), w('table', 6, 3))] },
  { name: 'reductions', input: (n) => randn([n, 3, 4]), fn: (x) => [x.sum(1), x.sum([1, 2], true), x.mean(2), x.mean(-1, true), x.amax(1), x.amin([1, 2]), x.logsumexp(2), x.max(2).values, x.max(2).indices, x.min(1, true).values, x.argmax(2), x.argmin(1, true), x.var(2), x.std(2, { correction: 0, keepdim: true }), x.sum(), x.max(), x.argmax(), x.max(x.neg())] },
  { name: 'matmul and linear on 3-D inputs', input: (n) => randn([n, 3, 4]), fn: (x) => [x.matmul(x.transpose(1, 2)), F.linear(x, w('lin', 2, 4), w('linb', 2)), F.linear(x, w('lin', 2, 4)), x.matmul(w('mat', 4, 2))] },
  {
    name: 'convolutions',
    input: images,
    fn: (x) => [
      F.conv2d(x, w('c1', 6, 4, 3, 3), w('c1b', 6), { stride: 2, padding: 1 }),
      F.conv2d(x, w('c2', 4, 2, 2, 3), null, { padding: 'same', dilation: [2, 1], groups: 2 }),
      F.conv2d(x, w('c3', 3, 4, 3, 3), null, { padding: 'valid' }),
      F.conv1d(x.flatten(2), w('c4', 2, 4, 5), w('c4b', 2), { stride: 3 }),
      F.convTranspose2d(x, w('t1', 4, 3, 3, 3), w('t1b', 3), { stride: 2, padding: 1, outputPadding: 1 }),
      F.convTranspose2d(x, w('t2', 4, 1, 2, 2), null, { groups: 2, dilation: 2 }),
    ],
  },
  {
    name: 'pooling',
    input: images,
    fn: (x) => [
      F.maxPool2d(x, 2), F.maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }), F.maxPool2d(x, 2, { dilation: 2, stride: 1 }),
      F.avgPool2d(x, 3, { stride: 1, padding: 1, countIncludePad: false }), F.avgPool2d(x, 2), F.adaptiveAvgPool2d(x, 1), F.adaptiveAvgPool2d(x, [3, 2]),
      F.adaptiveMaxPool2d(x, [1, 1]), F.adaptiveMaxPool2d(x, 2), F.maxPool1d(x.flatten(2), 3), F.avgPool1d(x.flatten(2), 4), F.adaptiveAvgPool1d(x.flatten(2), 1),
    ],
  },
  {
    name: 'normalizations',
    input: images,
    fn: (x) => [
      F.groupNorm(x, 2, { weight: w('gw', 4), bias: w('gb', 4) }), F.groupNorm(x, 4), F.layerNorm(x, [6, 6]),
      F.layerNorm(x, 6, { weight: w('lw', 6), bias: w('lb', 6), eps: 1e-3 }), F.batchNorm(x, w('mean', 4), w('var', 4).abs(), { weight: w('bw', 4) }),
    ],
  },
];

describeEachBackend('onnx.exportModel op mappings', (backend) => {
  test.each(OP_CASES.map((c) => [c.name, c] as const))('%s: ONNX Runtime equals Wick at other batch sizes', async (_name, c) => {
    manualSeed(3);
    const model = new Lambda(c.fn);
    const x = c.input(2);
    const outputs = wickOutputs(model, x);
    const outputNames = outputs.map((_, i) => `output_${i}`);
    const dynamicAxes = { input: { 0: 'batch' }, ...Object.fromEntries(outputNames.map((n) => [n, {}])) };
    const bytes = onnx.exportModel(model, [x], { outputNames, dynamicAxes });
    if (backend === 'cpu') expectChecked(`ops-${c.name.replace(/[^a-z0-9]+/gi, '-')}`, bytes);
    // Not 1: squeeze() would drop a batch of one in Wick, as in torch, but not in the graph.
    for (const n of [3, 5]) {
      const input = c.input(n);
      const want = wickOutputs(model, input);
      const got = await runOnnx(bytes, { input });
      got.forEach((g, i) => {
        expect(g.dtype).toBe(want[i].dtype);
        testing.assertClose(g, want[i], TOL);
      });
    }
  });
});

test('the cases exercise every op the exporter maps', () => {
  const seen = new Set<string>();
  const record = (fn: () => unknown) => trace(fn, (call) => seen.add(call.op));
  for (const c of OP_CASES) record(() => noGrad(() => c.fn(c.input(2))));
  for (const model of [new MLP(), new Normalized().eval(), new TextClassifier()]) {
    record(() => noGrad(() => model.forward(model instanceof TextClassifier ? randint(0, 50, [2, 3]) : randn(model instanceof MLP ? [2, 784] : [2, 3, 8, 8]))));
  }
  const refused = ['oneHot', 'index', 'nllLoss', 'crossEntropy'];
  expect(Object.keys(SYMBOLIC).filter((op) => !seen.has(op) && !refused.includes(op))).toEqual([]);
});

/** An embedding feeding layers held in a ModuleList and a ModuleDict. */
class Containers extends Module {
  embedding = new nn.Embedding(10, 6);
  blocks = new nn.ModuleList<nn.TensorModule>([new nn.Linear(6, 6), new nn.ReLU()]);
  heads = new nn.ModuleDict<nn.TensorModule>({ out: new nn.Linear(6, 2) });
  forward(ids: Tensor): Tensor {
    let x = this.embedding.forward(ids);
    for (const block of this.blocks) x = block.forward(x);
    return this.heads.get('out').forward(x);
  }
}

/** Every layer nn exports, each in a small model that feeds it a fitting input. */
const LAYERS: [string, () => Module, (batch: number) => Tensor][] = [
  ['activations', () => new nn.Sequential(new nn.Linear(5, 8), new nn.ReLU(), new nn.Sigmoid(), new nn.Tanh(), new nn.GELU({ approximate: 'tanh' }), new nn.SiLU(), new nn.LeakyReLU(0.1), new nn.ELU(0.5), new nn.Softplus({ beta: 2 }), new nn.Hardtanh(-0.5, 0.5), new nn.LogSigmoid(), new nn.Identity(), new nn.Softmax(1), new nn.LogSoftmax(1), new nn.Dropout(0.3)), rows],
  ['convolutions and poolings', () => new nn.Sequential(new nn.Conv2d(4, 6, 3, { padding: 'same', paddingMode: 'reflect' }), new nn.BatchNorm2d(6), new nn.Dropout2d(0.2), new nn.MaxPool2d(2), new nn.ConvTranspose2d(6, 4, 2, { stride: 2 }), new nn.AvgPool2d(2), new nn.AdaptiveAvgPool2d([1, 3]), new nn.AdaptiveMaxPool2d(1), new nn.Flatten(), new nn.Unflatten(1, [2, 2])), images],
  ['one-dimensional layers', () => new nn.Sequential(new nn.Conv1d(4, 4, 3, { groups: 2 }), new nn.BatchNorm1d(4), new nn.MaxPool1d(2), new nn.AvgPool1d(2, { stride: 1 }), new nn.AdaptiveAvgPool1d(1), new nn.Flatten(), new nn.LayerNorm(4), new nn.GroupNorm(2, 4)), (n) => randn([n, 4, 12])],
  ['embedding in containers', () => new Containers(), (n) => randint(0, 10, [n, 3])],
];

describeEachBackend('onnx.exportModel layers', (backend) => {
  test.each(LAYERS)('%s: ONNX Runtime equals Wick', async (name, make, input) => {
    manualSeed(6);
    const model = make();
    noGrad(() => (model.forward as (x: Tensor) => Tensor)(input(8)));
    model.eval();
    const bytes = onnx.exportModel(model, [input(2)], { dynamicAxes: BATCH });
    if (backend === 'cpu') expectChecked(`layers-${name.replace(/[^a-z0-9]+/gi, '-')}`, bytes);
    for (const n of [3, 5]) await expectSameAsWick(bytes, model, input(n));
  });
});

test('the layer cases use every layer nn exports (its losses are not exported)', () => {
  const layers = Object.entries(nn).filter(([name, v]) => typeof v === 'function' && v.prototype instanceof Module && !name.endsWith('Loss')).map(([name]) => name);
  const used = new Set<string>();
  for (const [, make] of LAYERS) make().modules().forEach((m) => used.add(m.constructor.name));
  expect(layers.filter((name) => !used.has(name))).toEqual([]);
});

class Cube extends Function {
  static forward(_ctx: Context, x: Tensor): Tensor {
    return x.mul(x).mul(x);
  }
  static backward(_ctx: Context, g: Tensor): Tensor {
    return g;
  }
}

describe('onnx.exportModel refuses what it cannot export, before writing anything', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wick-onnx-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const refuse = (model: Module, x: Tensor, message: RegExp | string, options: onnx.ExportOptions = {}) => {
    const file = join(dir, 'model.onnx');
    expect(() => onnx.exportModel(model, [x], { file, ...options })).toThrow(message);
    expect(existsSync(file)).toBe(false);
  };

  test('an op with no mapping, named with the module path where it was called', () => {
    class Block extends Module {
      fc = new Linear(3, 3);
      forward(x: Tensor): Tensor {
        return Cube.apply(this.fc.forward(x));
      }
    }
    const model = new Sequential(new Linear(3, 3), new Block());
    refuse(model, randn([2, 3]), /onnx\.exportModel: 1\.forward -> Cube: has no ONNX mapping; exportable ops are .*conv2d/);
  });

  test('a loss, oneHot and max pooling with indices', () => {
    refuse(new Lambda((x) => new NLLLoss().forward(x, zeros([2], { dtype: 'int64' }))), randn([2, 3]), 'Lambda.forward -> nllLoss: losses are not exported');
    refuse(new Lambda((x) => F.oneHot(x.argmax(1), 3)), randn([2, 3]), 'Lambda.forward -> oneHot');
    refuse(new Lambda((x) => F.maxPool2d(x, 2, { returnIndices: true })), randn([1, 1, 4, 4]), 'maxPool2d with returnIndices');
    refuse(new Lambda((x) => F.adaptiveMaxPool2d(x, 2, { returnIndices: true })), randn([1, 1, 4, 4]), 'adaptiveMaxPool2d with returnIndices');
  });

  test('an in-place write to a tensor of the graph', () => {
    refuse(new Lambda((x) => x.relu().add_(1)), randn([2, 3]), 'Lambda.forward -> add_: writes in place to a tensor the exported graph holds; use the out-of-place form (add)');
  });

  test('sizes and constants that follow a dynamic axis where ONNX cannot follow them', () => {
    const dynamicAxes = { input: { 0: 'batch' } };
    refuse(new Lambda((x) => x.add(zeros(x.shape))), randn([2, 3]), /a tensor made inside forward \(shape \[2, 3\]\) changes when the dynamic axes are one longer/, { dynamicAxes });
    refuse(new Lambda((x) => x.narrow(0, 0, x.shape[0] - 1)), randn([3, 3]), /narrow: its arguments .* become .* when the dynamic axes are one longer/, { dynamicAxes });
    refuse(new Lambda((x) => x.reshape(x.shape[1], x.shape[0])), randn([2, 3]), /reshape: the result of shape \[3, 2\] has 2 dims that vary/, {
      dynamicAxes: { input: { 0: 'batch', 1: 'length' } },
    });
    refuse(new Lambda((x) => (x.shape[0] > 2 ? x.relu() : x.sigmoid())), randn([2, 3]), /forward calls relu here instead when the dynamic axes are one longer/, { dynamicAxes });
  });

  test('bad options name the problem', () => {
    const model = new MLP();
    const x = randn([1, 784]);
    refuse(model, x, "onnx.exportModel: unknown option 'inputName'", { inputName: ['x'] } as onnx.ExportOptions);
    refuse(model, x, 'opsetVersion 13 is not supported: Wick writes opset 17', { opsetVersion: 13 });
    refuse(model, x, "dynamicAxes names 'images', which is neither an input (input) nor an output (output)", { dynamicAxes: { images: { 0: 'batch' } } });
    refuse(model, x, "dynamicAxes.input names axis 2, but 'input' has 2 axes (0 to 1)", { dynamicAxes: { input: { 2: 'batch' } } });
    refuse(model, x, 'inputNames names 2 values (a, b) but there are 1', { inputNames: ['a', 'b'] });
    refuse(model, x, 'outputNames names 2 values (a, b) but there are 1', { outputNames: ['a', 'b'] });
    refuse(model, x, "output name 'fc1.weight' is already the name of an input, a weight or another value", { outputNames: ['fc1.weight'] });
    expect(() => onnx.exportModel(model, [x.dataSync()] as unknown as Tensor[])).toThrow('args must be an array of the example tensors forward takes');
    refuse(new Lambda(() => [] as Tensor[]), x, 'forward must return a tensor or an array of tensors to export');
  });
});

describe('ONNX checker (onnx 1.12, full_check)', () => {
  // scripts/golden/onnx_checker.py runs the export tests with WICK_ONNX_DIR set, checks every file
  // they leave with onnx.checker.check_model(full_check=True) and records its hash; each test
  // above then expects its export to be those very bytes (expectChecked).
  const whenChecked = process.env.WICK_ONNX_DIR === undefined ? test : test.skip;
  whenChecked('accepted every model the tests export, written as ONNX IR version 8 with opset 17', () => {
    const names = Object.keys(checkerResults.models);
    const slug = (name: string) => name.replace(/[^a-z0-9]+/gi, '-');
    expect(names).toEqual(expect.arrayContaining(['mlp', 'batchnorm-layernorm', 'text-classifier', ...OP_CASES.map((c) => `ops-${slug(c.name)}`), ...LAYERS.map(([name]) => `layers-${slug(name)}`)]));
    for (const m of Object.values(checkerResults.models)) {
      expect(m.irVersion).toBe(8);
      expect(m.opset).toBe(17);
    }
  });
});
