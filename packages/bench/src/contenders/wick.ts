import { manualSeed, rand, randint, setNumThreads, useBackend, type Tensor } from '@wick/core';
import { Conv2d, Dropout, F, Linear, LogSoftmax, Module, ReLU, Sequential, optim } from '@wick/nn';
import type { Subject } from '../timing';

/**
 * One training step (zeroGrad, NLL of the model's log-probabilities, backward, update) on the
 * given backend and thread count, the model and optimizer built from seed 0 by `make`.
 */
function trainingStep(
  backend: string,
  threads: number,
  inputShape: number[],
  make: () => { model: Module<[Tensor], Tensor>; opt: optim.Optimizer<{ lr: number }> },
): Subject {
  manualSeed(0);
  const { model, opt } = make();
  const x = rand(inputShape);
  const y = randint(0, 10, [inputShape[0]]);
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

/** One training step of the benchmark MLP (784-128-ReLU-10, batch 64, SGD lr 0.01) in Wick. */
export function wickStep(backend: string, threads = 1): Subject {
  return trainingStep(backend, threads, [64, 784], () => {
    const model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10), new LogSoftmax(1));
    return { model, opt: new optim.SGD(model.parameters(), { lr: 0.01 }) };
  });
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

/** One training step of the mnist CNN (batch 64, Adadelta lr 1.0, dropout on) in Wick. */
export function wickCnnStep(backend: string, threads = 1): Subject {
  return trainingStep(backend, threads, [64, 1, 28, 28], () => {
    const model = new Net();
    return { model, opt: new optim.Adadelta(model.parameters(), { lr: 1 }) };
  });
}
