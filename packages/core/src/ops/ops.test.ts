import golden from '../../golden/ops.json';
import * as wick from '../index';
import { Tensor } from '../tensor/tensor';
import { assertClose } from '../testing/assertClose';
import { decodeTensor, type EncodedTensor } from '../testing/golden';
import { gradcheck } from '../autograd/gradcheck';
import { availableBackends, getBackend, setBackend, useBackend } from '../backend';

type Kw = Record<string, unknown>;
const num = (kw: Kw, k: string) => kw[k] as number;
const dims = (kw: Kw) => kw.dim as number | number[] | undefined;

/** Each golden op written with Wick, mirroring OPS in scripts/golden/core_ops.py. */
const OPS: Record<string, (x: Tensor[], kw: Kw) => Tensor> = {
  add: ([a, b]) => a.add(b),
  sub: ([a, b]) => a.sub(b),
  mul: ([a, b]) => a.mul(b),
  div: ([a, b]) => a.div(b),
  pow: ([a, b]) => a.pow(b),
  powScalar: ([a], kw) => a.pow(num(kw, 'p')),
  maximum: ([a, b]) => wick.maximum(a, b),
  minimum: ([a, b]) => a.minimum(b),
  neg: ([a]) => a.neg(),
  exp: ([a]) => a.exp(),
  log: ([a]) => a.log(),
  sqrt: ([a]) => a.sqrt(),
  abs: ([a]) => a.abs(),
  relu: ([a]) => a.relu(),
  sigmoid: ([a]) => a.sigmoid(),
  tanh: ([a]) => a.tanh(),
  clamp: ([a], kw) => a.clamp(kw.min as number | undefined, kw.max as number | undefined),
  whereGt0: ([c, a, b]) => wick.where(c.gt(0), a, b),
  sum: ([a], kw) => a.sum(dims(kw), kw.keepdim === true),
  mean: ([a], kw) => a.mean(dims(kw), kw.keepdim === true),
  amax: ([a], kw) => a.amax(dims(kw), kw.keepdim === true),
  amin: ([a], kw) => a.amin(dims(kw), kw.keepdim === true),
  maxDim: ([a], kw) => a.max(num(kw, 'dim'), kw.keepdim === true).values,
  minDim: ([a], kw) => a.min(num(kw, 'dim'), kw.keepdim === true)[0],
  logsumexp: ([a], kw) => a.logsumexp(dims(kw) as number, kw.keepdim === true),
  var: ([a], kw) => a.var(dims(kw), { correction: kw.correction as number | undefined, keepdim: kw.keepdim === true }),
  std: ([a], kw) => a.std(dims(kw), { correction: kw.correction as number | undefined, keepdim: kw.keepdim === true }),
  matmul: ([a, b]) => a.matmul(b),
  matmulTransposedA: ([a, b]) => a.transpose(-1, -2).matmul(b),
  linear: ([x, w, b]) => wick.linear(x, w, b),
  softmax: ([a], kw) => a.softmax(num(kw, 'dim')),
  logSoftmax: ([a], kw) => a.logSoftmax(num(kw, 'dim')),
  reshape: ([a], kw) => a.reshape(kw.shape as number[]),
  transposeReshape: ([a], kw) => a.transpose(num(kw, 'd0'), num(kw, 'd1')).reshape(kw.shape as number[]),
  permute: ([a], kw) => a.permute(kw.dims as number[]).mul(1),
  expand: ([a], kw) => a.expand(kw.shape as number[]).mul(1),
  cat: ([a, b], kw) => wick.cat([a, b], num(kw, 'dim')),
  stack: ([a, b], kw) => wick.stack([a, b], num(kw, 'dim')),
  narrow: ([a], kw) => a.narrow(num(kw, 'dim'), num(kw, 'start'), num(kw, 'length')),
  sliceStep: ([a], kw) => a.slice(1, num(kw, 'start'), num(kw, 'end'), num(kw, 'step')),
  select: ([a], kw) => a.select(num(kw, 'dim'), num(kw, 'index')),
  squeezeUnsqueeze: ([a], kw) => a.unsqueeze(num(kw, 'dim')).squeeze(),
  gather: ([a, idx], kw) => a.gather(num(kw, 'dim'), idx),
  indexSelect: ([a, idx], kw) => a.indexSelect(num(kw, 'dim'), idx),
};

interface GoldenCase {
  name: string;
  op: string;
  inputs: EncodedTensor[];
  kw: Kw;
  output: EncodedTensor;
  upstream: EncodedTensor;
  grads: (EncodedTensor | null)[];
}

// Float32 against PyTorch: 1e-5 relative, with an absolute floor for values near zero.
const TOL = { rtol: 1e-5, atol: 1e-6 };

// Every op runs on each backend this platform has (the plain kernels and, where WebAssembly SIMD
// works, the wasm ones), against the same PyTorch values.
describe.each(availableBackends())('%s backend', (backend) => {
  const previous = getBackend();
  beforeAll(() => useBackend(backend));
  afterAll(() => setBackend(previous));

  /** The same ops, checked against PyTorch and against central differences. */
  describe('core ops match PyTorch (golden values)', () => {
    test.each((golden.cases as GoldenCase[]).map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const inputs = c.inputs.map((e) => decodeTensor(e));
      const out = OPS[c.op](inputs, c.kw);
      assertClose(out, decodeTensor(c.output), TOL);
      const wanted = inputs.filter((t) => t.requiresGrad);
      if (wanted.length === 0) return;
      out.backward(decodeTensor(c.upstream));
      wanted.forEach((t, i) => {
        const g = c.grads[i];
        if (g === null) expect(t.grad).toBeNull();
        else assertClose(t.grad as Tensor, decodeTensor(g), TOL);
      });
    });
  });

  describe('core ops pass gradcheck in float64 (the golden cases, promoted)', () => {
    const differentiable = (golden.cases as GoldenCase[]).filter((c) => c.inputs.some((e) => e.requiresGrad));
    test.each(differentiable.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const inputs = c.inputs.map((e) => decodeTensor(e, e.dtype === 'float32' ? 'float64' : e.dtype));
      const result = gradcheck((...xs) => OPS[c.op](xs, c.kw), inputs);
      expect(result.worst).not.toBeNull();
      expect(result).toMatchObject({ passed: true });
    });
  });
});
