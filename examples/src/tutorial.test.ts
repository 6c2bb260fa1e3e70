/**
 * PyTorch's tutorial "What is torch.nn really?" (pytorch/tutorials beginner_source/nn_tutorial.py),
 * ported step by step with Wick's own classes, on the embedded digits: a model from raw tensors,
 * then F.crossEntropy, Module and Parameter, Linear, optim, TensorDataset and DataLoader, fit(),
 * the CNN with Conv2d and avgPool2d, and Sequential with a Lambda and AdaptiveAvgPool2d.
 */
import { arange, manualSeed, noGrad, randn, zeros, type Tensor } from '@wick/core';
import { AdaptiveAvgPool2d, Conv2d, F, Linear, Module, Parameter, ReLU, Sequential, data, optim } from '@wick/nn';
import { loadEmbeddedDigits } from './data/embedded';
import { toDataset } from './data';
import torchTutorial from '../golden/nn_tutorial.json';

const digits = loadEmbeddedDigits();
const first = (n: number) => ({ ...digits.train, images: digits.train.images.subarray(0, n * 784), labels: digits.train.labels.subarray(0, n), count: n });
const train = toDataset(first(1000));
const trainMore = toDataset(first(4000));
const valid = toDataset({ ...digits.test, images: digits.test.images.subarray(0, 500 * 784), labels: digits.test.labels.subarray(0, 500), count: 500 });
const [xTrain, yTrain] = train.tensors;
const bs = 64;

function accuracy(out: Tensor, yb: Tensor): number {
  return out.argmax(1).eq(yb).float().mean().item();
}

describe('What is torch.nn really?, in Wick', () => {
  test('from scratch: weights, log-softmax, negative log-likelihood with x[range(n), y], a manual update', () => {
    manualSeed(0);
    const weights = randn(784, 10).div(Math.sqrt(784)).requiresGrad_();
    const bias = zeros(10, { requiresGrad: true });
    const logSoftmax = (x: Tensor) => x.sub(x.exp().sum(-1).log().unsqueeze(-1));
    const model = (xb: Tensor) => logSoftmax(xb.matmul(weights).add(bias));
    const nll = (input: Tensor, target: Tensor) => input.index(arange(target.shape[0]), target).mean().neg();
    const lossBefore = nll(model(xTrain), yTrain).item();
    const lr = 0.5;
    for (let epoch = 0; epoch < 2; epoch++) {
      for (let i = 0; i < Math.ceil(1000 / bs); i++) {
        const xb = xTrain.slice(0, i * bs, (i + 1) * bs);
        const yb = yTrain.slice(0, i * bs, (i + 1) * bs);
        nll(model(xb), yb).backward();
        noGrad(() => {
          weights.sub_((weights.grad as Tensor).mul(lr));
          bias.sub_((bias.grad as Tensor).mul(lr));
          weights.grad?.zero_();
          bias.grad?.zero_();
        });
      }
    }
    const out = model(xTrain);
    expect(nll(out, yTrain).item()).toBeLessThan(lossBefore / 3);
    // F.crossEntropy is log-softmax and nll in one.
    expect(F.crossEntropy(xTrain.matmul(weights).add(bias), yTrain).item()).toBeCloseTo(nll(out, yTrain).item(), 5);
    expect(accuracy(out, yTrain)).toBeGreaterThan(0.85);
  });

  test('refactored: Module with Parameters, then Linear, optim.SGD, TensorDataset, DataLoader and fit()', () => {
    class MnistLogistic extends Module {
      weights = new Parameter(randn(784, 10).div(Math.sqrt(784)));
      bias = new Parameter(zeros(10));
      forward(xb: Tensor): Tensor {
        return xb.matmul(this.weights).add(this.bias);
      }
    }
    class MnistLinear extends Module {
      lin = new Linear(784, 10);
      forward(xb: Tensor): Tensor {
        return this.lin.forward(xb);
      }
    }
    manualSeed(0);
    expect(Object.keys(new MnistLogistic().stateDict())).toEqual(['weights', 'bias']);
    const model = new MnistLinear();
    const opt = new optim.SGD(model.parameters(), { lr: 0.5 });
    const trainDl = new data.DataLoader(train, { batchSize: bs, shuffle: true });
    const validDl = new data.DataLoader(valid, { batchSize: bs * 2 });
    const validLoss = () =>
      noGrad(() => {
        let total = 0;
        for (const [xb, yb] of validDl) total += F.crossEntropy(model.forward(xb), yb).item() * yb.shape[0];
        return total / valid.length;
      });
    const before = validLoss();
    for (let epoch = 0; epoch < 2; epoch++) {
      model.train();
      for (const [xb, yb] of trainDl) {
        F.crossEntropy(model.forward(xb), yb).backward();
        opt.step();
        opt.zeroGrad();
      }
      model.eval();
    }
    expect(validLoss()).toBeLessThan(before / 2);
  });

  test('the CNN: Conv2d with stride 2, avgPool2d(4), SGD with momentum; then Sequential with Lambda and AdaptiveAvgPool2d', () => {
    class MnistCNN extends Module {
      conv1 = new Conv2d(1, 16, 3, { stride: 2, padding: 1 });
      conv2 = new Conv2d(16, 16, 3, { stride: 2, padding: 1 });
      conv3 = new Conv2d(16, 10, 3, { stride: 2, padding: 1 });
      forward(xb: Tensor): Tensor {
        let x = xb.view(-1, 1, 28, 28);
        x = F.relu(this.conv1.forward(x));
        x = F.relu(this.conv2.forward(x));
        x = F.relu(this.conv3.forward(x));
        x = F.avgPool2d(x, 4);
        return x.view(-1, x.size(1));
      }
    }
    /** The tutorial's Lambda: a module around a function. */
    class Lambda extends Module {
      constructor(private readonly fn: (x: Tensor) => Tensor) {
        super();
      }
      forward(x: Tensor): Tensor {
        return this.fn(x);
      }
    }
    const sequential = () =>
      new Sequential(
        new Lambda((x) => x.view(-1, 1, 28, 28)),
        new Conv2d(1, 16, 3, { stride: 2, padding: 1 }), new ReLU(),
        new Conv2d(16, 16, 3, { stride: 2, padding: 1 }), new ReLU(),
        new Conv2d(16, 10, 3, { stride: 2, padding: 1 }), new ReLU(),
        new AdaptiveAvgPool2d(1),
        new Lambda((x) => x.view(x.size(0), -1)),
      );
    for (const make of [() => new MnistCNN(), sequential]) {
      manualSeed(0);
      const model = make();
      const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
      const trainDl = new data.DataLoader(trainMore, { batchSize: bs, shuffle: true });
      const lossOf = () => noGrad(() => F.crossEntropy(model.forward(xTrain), yTrain).item());
      const before = lossOf();
      for (let epoch = 0; epoch < 2; epoch++) {
        for (const [xb, yb] of trainDl) {
          F.crossEntropy(model.forward(xb), yb).backward();
          opt.step();
          opt.zeroGrad();
        }
      }
      // scripts/golden/nn_tutorial.py trains the same CNN in PyTorch from the same seed: the same
      // initial weights give its loss to float32 rounding, and 126 steps later float drift stays small.
      expect(before).toBeCloseTo(torchTutorial.before, 5);
      expect(Math.abs(lossOf() - torchTutorial.after)).toBeLessThan(5e-3);
    }
  });
});
