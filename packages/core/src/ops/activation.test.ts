import { describeEachBackend, testOp, type GoldenCase } from '@wick/test-harness';
import golden from '../../golden/activations.json';
import type { Tensor } from '../tensor/tensor';

type ActivationCase = GoldenCase & { fn: string };

/** Mirrors FNS in scripts/golden/activations.py. */
const FNS: Record<string, (x: Tensor, c: ActivationCase) => Tensor> = {
  erf: (x) => x.erf(),
};

describeEachBackend('activations', () => {
  testOp('erf, gelu and silu', {
    cases: (golden.cases as ActivationCase[]).filter((c) => c.fn in FNS),
    run: ([x], c) => FNS[c.fn](x, c),
  });
});
