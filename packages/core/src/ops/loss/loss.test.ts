import { availableBackends, getBackend, gradcheck, setBackend, testing, useBackend, type Tensor } from '@wick/core';
import golden from '../../../golden/losses.json';
import { logSoftmax } from '../activation';
import { crossEntropy } from './crossEntropy';
import { nllLoss } from './nllLoss';
import type { Reduction } from './reduction';

type Kw = { reduction?: Reduction; ignoreIndex?: number; labelSmoothing?: number; dim?: number };

interface GoldenCase {
  name: string;
  fn: string;
  inputs: testing.EncodedTensor[];
  kw: Kw;
  output: testing.EncodedTensor;
  upstream: testing.EncodedTensor;
  grads: (testing.EncodedTensor | null)[];
}

/** Mirrors FNS in scripts/golden/losses.py. */
const FNS: Record<string, (inputs: Tensor[], kw: Kw) => Tensor> = {
  crossEntropy: ([x, t, weight], kw) => crossEntropy(x, t, { weight, ...kw }),
  nllLoss: ([x, t, weight], kw) => nllLoss(x, t, { weight, ...kw }),
  nllOfLogSoftmax: ([x, t, weight], kw) => nllLoss(logSoftmax(x, x.ndim === 1 ? 0 : 1), t, { weight, ...kw }),
  logSoftmax: ([x], kw) => logSoftmax(x, kw.dim),
};

const cases = golden.cases as GoldenCase[];

describe.each(availableBackends())('%s backend', (backend) => {
  const previous = getBackend();
  beforeAll(() => useBackend(backend));
  afterAll(() => setBackend(previous));

  describe('LogSoftmax, NLLLoss and CrossEntropyLoss match PyTorch (outputs and gradients)', () => {
    test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const inputs = c.inputs.map((e) => testing.decodeTensor(e));
      const out = FNS[c.fn](inputs, c.kw);
      const tol = c.output.dtype === 'float64' ? { rtol: 1e-10, atol: 1e-12 } : { rtol: 1e-5, atol: 1e-6 };
      testing.assertClose(out, testing.decodeTensor(c.output), { ...tol, equalNan: true });
      const wanted = inputs.filter((t) => t.requiresGrad);
      out.backward(testing.decodeTensor(c.upstream));
      wanted.forEach((t, i) => testing.assertClose(t.grad as Tensor, testing.decodeTensor(c.grads[i] as testing.EncodedTensor), tol));
    });

    test('the seed example gives 2.1438 both ways', () => {
      const [ce, nll] = cases.slice(0, 2).map((c) => FNS[c.fn](c.inputs.map((e) => testing.decodeTensor(e)), c.kw).item());
      expect(ce).toBeCloseTo(2.1438, 4);
      expect(nll).toBeCloseTo(ce, 6);
    });
  });

  describe('the losses pass gradcheck in float64 under every option', () => {
    // Cases whose output is NaN (every target ignored with 'mean') have no finite differences.
    const finite = cases.filter((c) => !c.output.data.some((v) => v === 'nan'));
    test.each(finite.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const inputs = c.inputs.map((e) => testing.decodeTensor(e, e.dtype === 'float32' ? 'float64' : e.dtype));
      // With logits near 1e4 the loss is near 1e3, whose rounding swamps differences taken with a
      // step of 1e-6; the function is close to linear there, so a larger step is exact enough.
      const eps = c.name.includes('large logits') ? 1e-3 : 1e-6;
      const result = gradcheck((...xs) => FNS[c.fn](xs, c.kw), inputs, { eps, atol: 1e-6, rtol: 1e-4 });
      expect(result).toMatchObject({ passed: true });
    });
  });
});
