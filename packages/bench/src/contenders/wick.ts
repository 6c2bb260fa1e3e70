import { manualSeed, rand, randint, setNumThreads, useBackend } from '@wick/core';
import { Linear, LogSoftmax, NLLLoss, ReLU, Sequential, optim } from '@wick/nn';
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
