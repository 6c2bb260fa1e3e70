import { describeEachBackend, testOp, type GoldenCase } from '@wick/test-harness';
import golden from '../../../golden/losses_elementwise.json';
import {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, huberLoss, klDiv, l1Loss, mseLoss, smoothL1Loss, tensor, type Reduction, type Tensor,
} from '../../index';

type LossCase = GoldenCase & { fn: string };
const red = (kw: Record<string, unknown>) => kw.reduction as Reduction | undefined;

/** Mirrors the functions of scripts/golden/losses_elementwise.py. */
const FNS: Record<string, (x: Tensor[], kw: Record<string, unknown>) => Tensor> = {
  mse_loss: ([x, t], kw) => mseLoss(x, t, { reduction: red(kw) }),
  l1_loss: ([x, t], kw) => l1Loss(x, t, { reduction: red(kw) }),
  smooth_l1_loss: ([x, t], kw) => smoothL1Loss(x, t, { reduction: red(kw), beta: kw.beta as number | undefined }),
  huber_loss: ([x, t], kw) => huberLoss(x, t, { reduction: red(kw), delta: kw.delta as number | undefined }),
  binary_cross_entropy: ([x, t, w], kw) => binaryCrossEntropy(x, t, { reduction: red(kw), weight: w }),
  bce_with_logits: ([x, t, w, pw], kw) => binaryCrossEntropyWithLogits(x, t, { reduction: red(kw), weight: w, posWeight: pw }),
  kl_div: ([x, t], kw) => klDiv(x, t, { reduction: kw.reduction as Reduction | 'batchmean' | undefined, logTarget: kw.log_target as boolean | undefined }),
};

describeEachBackend('elementwise losses', () => {
  testOp('MSE, L1, smooth L1, Huber, BCE, BCE with logits, KL divergence', {
    cases: golden.cases as LossCase[],
    run: (inputs, c) => FNS[c.fn](inputs, c.kw),
  });
});

describe('bad input gets a clear error', () => {
  test('probabilities outside [0, 1], shapes, options', () => {
    expect(() => binaryCrossEntropy(tensor([0.5, 1.5]), tensor([1, 0]))).toThrow('binaryCrossEntropy: all elements of input should be between 0 and 1, got 1.5');
    expect(() => binaryCrossEntropy(tensor([0.5, 0.5]), tensor([1]))).toThrow("binaryCrossEntropy: target of shape [1] must have the input's shape [2]");
    expect(() => mseLoss(tensor([1]), tensor([1]), { reduction: 'avg' as 'mean' })).toThrow("mseLoss: unknown reduction 'avg' (expected 'none', 'mean' or 'sum')");
    expect(() => huberLoss(tensor([1]), tensor([1]), { delta: 0 })).toThrow('huberLoss: delta must be positive, got 0');
    expect(() => smoothL1Loss(tensor([1]), tensor([1]), { beta: -1 })).toThrow('smoothL1Loss: beta must be non-negative, got -1');
  });
});
