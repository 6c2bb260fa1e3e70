import { tensor, zeros } from '../../index';
import { crossEntropy } from './crossEntropy';
import { nllLoss } from './nllLoss';

const logits = () => zeros([4, 10], { requiresGrad: true });
const labels = (values: number[]) => tensor(values, { dtype: 'int64' });

describe('bad input gets a clear error, and nothing is computed', () => {
  test('a target out of range names the value and the class count', () => {
    expect(() => crossEntropy(logits(), labels([1, 12, 0, 3]))).toThrow('crossEntropy: target 12 is out of bounds for 10 classes');
    expect(() => nllLoss(logits(), labels([1, -1, 0, 3]))).toThrow('nllLoss: target -1 is out of bounds for 10 classes');
  });

  test('float targets given as class indices', () => {
    expect(() => crossEntropy(logits(), tensor([1, 2, 0, 3]))).toThrow(
      "expected int64 class-index targets, got a float32 target of shape [4]; class-probability targets must have the input's shape [4, 10]",
    );
  });

  test('integer targets where probabilities are meant', () => {
    expect(() => crossEntropy(zeros([2, 3]), zeros([2, 3], { dtype: 'int64' }))).toThrow(
      "a target of the input's shape [2, 3] holds class probabilities and must be floating-point, got int64",
    );
  });

  test('batch-size mismatch names both sizes', () => {
    expect(() => crossEntropy(zeros([64, 10]), labels(new Array(32).fill(0)))).toThrow(
      'expected input batch size (64) to match target batch size (32)',
    );
  });

  test('spatial-shape mismatch', () => {
    expect(() => nllLoss(zeros([2, 3, 4, 5]), zeros([2, 4, 4], { dtype: 'int64' }))).toThrow(
      'target of shape [2, 4, 4] does not fit input of shape [2, 3, 4, 5]: expected a target of shape [2, 4, 5]',
    );
    expect(() => nllLoss(zeros([5]), labels([1]))).toThrow('expected a target of shape []');
  });

  test('weight of the wrong length or rank', () => {
    expect(() => crossEntropy(logits(), labels([0, 0, 0, 0]), { weight: zeros([3]) })).toThrow(
      'weight must be a 1-D tensor of 10 class weights, got shape [3]',
    );
    expect(() => nllLoss(logits(), labels([0, 0, 0, 0]), { weight: zeros([1, 10]) })).toThrow('got shape [1, 10]');
    expect(() => nllLoss(logits(), labels([0, 0, 0, 0]), { weight: zeros([10], { requiresGrad: true }) })).toThrow(
      'gradients with respect to weight are not supported',
    );
  });

  test('labelSmoothing outside [0, 1]', () => {
    expect(() => crossEntropy(logits(), labels([0, 0, 0, 0]), { labelSmoothing: 1.5 })).toThrow(
      'labelSmoothing must be in [0, 1], got 1.5',
    );
    expect(() => crossEntropy(logits(), labels([0, 0, 0, 0]), { labelSmoothing: -0.1 })).toThrow('got -0.1');
  });

  test('an unknown reduction', () => {
    expect(() => crossEntropy(logits(), labels([0, 0, 0, 0]), { reduction: 'avg' as 'mean' })).toThrow(
      "unknown reduction 'avg' (expected 'none', 'mean' or 'sum')",
    );
  });

  test('ignoreIndex with probability targets', () => {
    expect(() => crossEntropy(zeros([2, 3]), zeros([2, 3]), { ignoreIndex: 1 })).toThrow(
      'ignoreIndex (1) is not supported for class-probability targets',
    );
  });

  test('non-float input', () => {
    expect(() => nllLoss(zeros([2, 3], { dtype: 'int64' }), labels([0, 1]))).toThrow(
      'nllLoss: expected a floating-point input, got int64',
    );
  });

  test('dim out of range', () => {
    expect(() => zeros([2, 3]).logSoftmax(2)).toThrow('logSoftmax: dim 2 is out of range for a tensor of rank 2');
  });

  test('a failed call leaves no gradient behind', () => {
    const x = logits();
    expect(() => crossEntropy(x, labels([0, 99, 0, 0]))).toThrow();
    expect(x.grad).toBeNull();
  });
});

describe('reductions at the edges, as in PyTorch', () => {
  test('every target ignored: mean is NaN, sum is 0, none is zeros', () => {
    const y = labels([-100, -100]);
    expect(crossEntropy(zeros([2, 3]), y).item()).toBeNaN();
    expect(crossEntropy(zeros([2, 3]), y, { reduction: 'sum' }).item()).toBe(0);
    expect(crossEntropy(zeros([2, 3]), y, { reduction: 'none' }).toArray()).toEqual([0, 0]);
  });

  test("'none' keeps the target's shape", () => {
    expect(nllLoss(zeros([2, 3, 4, 5]), zeros([2, 4, 5], { dtype: 'int64' }), { reduction: 'none' }).shape).toEqual([2, 4, 5]);
    expect(crossEntropy(zeros([2, 3, 4]), zeros([2, 3, 4]), { reduction: 'none' }).shape).toEqual([2, 4]);
  });
});
