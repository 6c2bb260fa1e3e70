import { manualSeed, rand, randint, setNumThreads, useBackend, type Tensor } from '@wick/core';
import { Conv2d, Dropout, F, Linear, LogSoftmax, Module, NLLLoss, ReLU, Sequential, optim } from '@wick/nn';
import type { Subject } from '../timing';

/** One training step of the benchmark MLP in Wick on the given backend and thread count. */
export function wickStep(backend: string, threads = 1): Subject {
  manualSeed(0);
  const model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10), new LogSoftmax(1));
  const criterion = new NLLLoss();
  const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
  const x = rand([64, 784]);
  const y = randint(0, 10, [64]);
  return {
    select: () => {
      useBackend(backend);
      setNumThreads(threads);
    },
    step: () => {
      opt.zeroGrad();
      criterion.forward(model.forward(x), y).backward();
      opt.step();
    },
  };
}

/** pytorch/examples' mnist Net, as examples/src/model.ts writes it. */
class Net extends Module {
  conv1 = new Conv2d(1, 32, 3);
  conv2 = new Conv2d(32, 64, 3);
  dropout1 = new Dropout(0.25);
  dropout2 = new Dropout(0.5);
  fc1 = new Linear(9216, 128);
  fc2 = new Linear(128, 10);
  forward(x: Tensor): Tensor {
    x = F.relu(this.conv2.forward(F.relu(this.conv1.forward(x))));
    x = this.dropout1.forward(F.maxPool2d(x, 2)).flatten(1);
    x = this.dropout2.forward(F.relu(this.fc1.forward(x)));
    return F.logSoftmax(this.fc2.forward(x), 1);
  }
}

/** One training step of the mnist CNN (batch 64, Adadelta lr 1.0, NLL, dropout on) in Wick. */
export function wickCnnStep(backend: string, threads = 1): Subject {
  manualSeed(0);
  const model = new Net();
  const opt = new optim.Adadelta(model.parameters(), { lr: 1 });
  const x = rand([64, 1, 28, 28]);
  const y = randint(0, 10, [64]);
  return {
    select: () => {
      useBackend(backend);
      setNumThreads(threads);
    },
    step: () => {
      opt.zeroGrad();
      F.nllLoss(model.forward(x), y).backward();
      opt.step();
    },
  };
}
