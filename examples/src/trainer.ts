import { manualSeed, noGrad, setNumThreads, useBackend, type Tensor } from '@wick/core';
import { CrossEntropyLoss, LogSoftmax, NLLLoss, data, optim } from '@wick/nn';
import type { TrainConfig } from './cli';
import { toDataset, type Splits } from './data';
import { MLP } from './model';
import { confusionMatrix } from './report/confusion';
import type { EpochMetrics } from './report/curves';

export interface TrainHooks {
  onEpochStart?(epoch: number, batches: number): void;
  /** After each optimizer step: the batch's loss and the throughput so far this epoch. */
  onStep?(batch: number, loss: number, samplesPerSecond: number): void;
  onEpochEnd?(metrics: EpochMetrics): void;
}

export interface TrainResult {
  model: MLP;
  history: EpochMetrics[];
  /** The loss of every step, in order: the same seed and data give the same values. */
  stepLosses: number[];
  /** Held-out confusion matrix after the last epoch, counts[true][predicted]. */
  confusion: number[][];
}

const CLASSES = 10;

function makeOptimizer(config: TrainConfig, model: MLP): optim.Optimizer<{ lr: number }> {
  switch (config.optimizer) {
    case 'adam':
      return new optim.Adam(model.parameters(), { lr: config.lr });
    case 'adamw':
      return new optim.AdamW(model.parameters(), { lr: config.lr });
    case 'sgd':
      return new optim.SGD(model.parameters(), { lr: config.lr, momentum: 0.9 });
  }
}

/** Accuracy and predictions of the model on a dataset, in eval mode without autograd. */
function evaluate(model: MLP, dataset: data.TensorDataset<[Tensor, Tensor]>): { accuracy: number; predicted: Float64Array } {
  model.eval();
  const predicted = new Float64Array(dataset.length);
  let correct = 0;
  let at = 0;
  noGrad(() => {
    for (const [images, labels] of new data.DataLoader(dataset, { batchSize: 1000 })) {
      const guess = model.forward(images).argmax(1);
      correct += guess.eq(labels).sum().item();
      predicted.set(guess.dataSync(), at);
      at += labels.numel();
    }
  });
  return { accuracy: correct / dataset.length, predicted };
}

/** Trains the MLP with minibatches, the way a PyTorch training loop reads. */
export function train(config: TrainConfig, splits: Splits, hooks: TrainHooks = {}): TrainResult {
  manualSeed(config.seed);
  useBackend(config.backend);
  setNumThreads(config.threads);
  const trainSet = toDataset(splits.train);
  const testSet = toDataset(splits.test);
  const loader = new data.DataLoader(trainSet, { batchSize: config.batchSize, shuffle: true });

  const model = new MLP(splits.train.pixels, config.hidden, CLASSES);
  const optimizer = makeOptimizer(config, model);
  // --loss nll computes the same thing in two steps: LogSoftmax, then NLLLoss.
  const criterion = config.loss === 'nll' ? new NLLLoss() : new CrossEntropyLoss();
  const logSoftmax = new LogSoftmax(1);

  const history: EpochMetrics[] = [];
  const stepLosses: number[] = [];
  let testPredictions: Float64Array = new Float64Array(0);
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    hooks.onEpochStart?.(epoch, loader.length);
    const start = performance.now();
    model.train();
    let lossSum = 0;
    let seen = 0;
    let batch = 0;
    for (const [images, labels] of loader) {
      optimizer.zeroGrad();
      const logits = model.forward(images);
      const loss = criterion.forward(config.loss === 'nll' ? logSoftmax.forward(logits) : logits, labels);
      loss.backward();
      optimizer.step();

      const value = loss.item();
      stepLosses.push(value);
      lossSum += value * labels.numel();
      seen += labels.numel();
      hooks.onStep?.(++batch, value, seen / ((performance.now() - start) / 1000));
    }
    const trainSeconds = (performance.now() - start) / 1000;
    const test = evaluate(model, testSet);
    testPredictions = test.predicted;
    const metrics: EpochMetrics = {
      epoch,
      trainLoss: lossSum / seen,
      trainAcc: evaluate(model, trainSet).accuracy,
      testAcc: test.accuracy,
      seconds: trainSeconds,
    };
    history.push(metrics);
    hooks.onEpochEnd?.(metrics);
  }
  // The last epoch's evaluation already holds the held-out predictions.
  return { model, history, stepLosses, confusion: confusionMatrix(splits.test.labels, testPredictions, CLASSES) };
}
