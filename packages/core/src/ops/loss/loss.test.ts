import { describeEachBackend, testOp, type GoldenCase } from '@wick/test-harness';
import golden from '../../../golden/losses.json';
import { logSoftmax } from '../softmax';
import type { Tensor } from '../../tensor/tensor';
import * as testing from '../../testing';
import { crossEntropy } from './crossEntropy';
import { nllLoss } from './nllLoss';
import type { Reduction } from './reduction';

type Kw = { reduction?: Reduction; ignoreIndex?: number; labelSmoothing?: number; dim?: number };

type LossCase = GoldenCase & { fn: string; kw: Kw };

/** Mirrors FNS in scripts/golden/losses.py. */
const FNS: Record<string, (inputs: Tensor[], kw: Kw) => Tensor> = {
  crossEntropy: ([x, t, weight], kw) => crossEntropy(x, t, { weight, ...kw }),
  nllLoss: ([x, t, weight], kw) => nllLoss(x, t, { weight, ...kw }),
  nllOfLogSoftmax: ([x, t, weight], kw) => nllLoss(logSoftmax(x, x.ndim === 1 ? 0 : 1), t, { weight, ...kw }),
  logSoftmax: ([x], kw) => logSoftmax(x, kw.dim as number),
};

const cases = golden.cases as LossCase[];

describeEachBackend('losses', () => {
  testOp('LogSoftmax, NLLLoss and CrossEntropyLoss', {
    cases,
    run: (inputs, c) => FNS[c.fn](inputs, c.kw),
    // Cases whose output is NaN (every target ignored with 'mean') have no finite differences.
    // With logits near 1e4 the loss is near 1e3, whose rounding swamps differences taken with a
    // step of 1e-6; the function is close to linear there, so a larger step is exact enough.
    gradcheck: (c) =>
      c.output.data.some((v) => v === 'nan') ? false : { eps: c.name.includes('large logits') ? 1e-3 : 1e-6, atol: 1e-6, rtol: 1e-4 },
  });

  test('the seed example gives 2.1438 both ways', () => {
    const [ce, nll] = cases.slice(0, 2).map((c) => FNS[c.fn](c.inputs.map((e) => testing.decodeTensor(e)), c.kw).item());
    expect(ce).toBeCloseTo(2.1438, 4);
    expect(nll).toBeCloseTo(ce, 6);
  });
});
