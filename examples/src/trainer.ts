import { getRngState, manualSeed, noGrad, setNumThreads, setRngState, useBackend, type Tensor } from '@wick/core';
import { CrossEntropyLoss, LogSoftmax, NLLLoss, data, optim, type Module, type StateDict } from '@wick/nn';
import type { TrainConfig } from './cli';
import type { Splits } from './data';
import { modelDataset } from './data/modelInputs';
import { MLP, Net } from './model';
import { confusionMatrix } from './report/confusion';
import type { EpochMetrics } from './report/curves';

export interface TrainHooks {
  onEpochStart?(epoch: number, batches: number): void;
  /** After each optimizer step: the batch's loss and the throughput so far this epoch. */
  onStep?(batch: number, loss: number, samplesPerSecond: number): void;
  onEpochEnd?(metrics: EpochMetrics): void;
}

/** A classifier of images: logits (mlp) or log-probabilities (cnn) for each class. */
export type Classifier = Module<[Tensor], Tensor>;

/**
 * Everything a run needs to continue exactly where it stopped: the model, optimizer and scheduler
 * state dicts, the random generator's state at the start of the epoch in progress (its shuffle is
 * drawn again from it) and after the last step, the steps done in that epoch, and the metrics so far.
 */
export interface Checkpoint {
  config: TrainConfig;
  /** The epoch in progress (from 1), and the steps of it already taken. */
  epoch: number;
  step: number;
  model: StateDict;
  optimizer: optim.OptimizerStateDict;
  scheduler: optim.SchedulerStateDict | null;
  rngAtEpochStart: Uint8Array;
  rng: Uint8Array;
  /** The epoch's running loss sum and sample count. */
  lossSum: number;
  seen: number;
  history: EpochMetrics[];
  stepLosses: number[];
}

/** What training yields after every step and at the end of every epoch: where it is, and a checkpoint of it. */
export interface Progress {
  kind: 'step' | 'epoch';
  epoch: number;
  step: number;
  checkpoint(): Checkpoint;
}

export interface TrainResult {
  model: Classifier;
  history: EpochMetrics[];
  /** The loss of every step, in order: the same seed and data give the same values. */
  stepLosses: number[];
  /** Held-out confusion matrix after the last epoch, counts[true][predicted]. */
  confusion: number[][];
}

const CLASSES = 10;

function makeOptimizer(config: TrainConfig, model: Classifier): optim.Optimizer<{ lr: number }> {
  const params = model.parameters();
  if (config.optimizer === 'adam') return new optim.Adam(params, { lr: config.lr });
  if (config.optimizer === 'adamw') return new optim.AdamW(params, { lr: config.lr });
  if (config.optimizer === 'sgd') return new optim.SGD(params, { lr: config.lr, momentum: 0.9 });
  return new optim.Adadelta(params, { lr: config.lr });
}

/** The model, built (and so initialised) from the seeded default generator. */
function makeModel(config: TrainConfig, pixels: number): Classifier {
  return config.model === 'cnn' ? new Net() : new MLP(pixels, config.hidden, CLASSES);
}

/** Accuracy and predictions of the model on a dataset, in eval mode without autograd. */
function evaluate(model: Classifier, dataset: data.TensorDataset<[Tensor, Tensor]>, batchSize: number): { accuracy: number; predicted: Float64Array } {
  model.eval();
  const predicted = new Float64Array(dataset.length);
  let correct = 0;
  let at = 0;
  noGrad(() => {
    for (const [images, labels] of new data.DataLoader(dataset, { batchSize })) {
      const guess = model.forward(images).argmax(1);
      correct += guess.eq(labels).sum().item();
      predicted.set(guess.dataSync(), at);
      at += labels.numel();
    }
  });
  return { accuracy: correct / dataset.length, predicted };
}

/**
 * Trains the model with minibatches, the way a PyTorch training loop reads, yielding after every
 * step and every epoch so a driver can checkpoint or stop between them; from `resume`, it
 * continues a checkpointed run exactly: the same losses, bit for bit, as if never stopped.
 */
export function* training(config: TrainConfig, splits: Splits, hooks: TrainHooks = {}, resume?: Checkpoint): Generator<Progress, TrainResult> {
  manualSeed(config.seed);
  useBackend(config.backend);
  if (config.threads !== 'auto') setNumThreads(config.threads);
  const trainSet = modelDataset(config.model, splits.train);
  const testSet = modelDataset(config.model, splits.test);
  const loader = new data.DataLoader(trainSet, { batchSize: config.batchSize, shuffle: true });
  // The cnn's columns of unfolded windows grow with the batch: evaluate it in smaller ones.
  const evalBatch = config.model === 'cnn' ? 100 : 1000;

  const model = makeModel(config, splits.train.pixels);
  const optimizer = makeOptimizer(config, model);
  const scheduler = config.gamma === 1 ? null : new optim.StepLR(optimizer, { stepSize: 1, gamma: config.gamma });
  // The cnn outputs log-probabilities (NLLLoss), as does --loss nll in two steps: LogSoftmax, then NLLLoss.
  const criterion = config.model === 'cnn' || config.loss === 'nll' ? new NLLLoss() : new CrossEntropyLoss();
  const logSoftmax = new LogSoftmax(1);
  const logits = (x: Tensor) => (config.model === 'mlp' && config.loss === 'nll' ? logSoftmax.forward(model.forward(x)) : model.forward(x));

  if (resume !== undefined) {
    // Checked before anything is loaded: a checkpoint's position must be one this run reaches.
    if (!Number.isInteger(resume.epoch) || resume.epoch < 1 || resume.epoch > config.epochs) {
      throw new Error(`the checkpoint's epoch ${resume.epoch} is not one of this run's epochs 1 to ${config.epochs}`);
    }
    if (!Number.isInteger(resume.step) || resume.step < 0 || resume.step > loader.length) {
      throw new Error(`the checkpoint's step ${resume.step} is not one of an epoch's 0 to ${loader.length} steps`);
    }
  }
  const history: EpochMetrics[] = resume?.history.map((m) => ({ ...m })) ?? [];
  const stepLosses: number[] = resume?.stepLosses.slice() ?? [];
  if (resume !== undefined) {
    model.loadStateDict(resume.model);
    optimizer.loadStateDict(resume.optimizer);
    if (scheduler !== null && resume.scheduler !== null) scheduler.loadStateDict(resume.scheduler);
  }
  let testPredictions: Float64Array = new Float64Array(0);
  for (let epoch = resume?.epoch ?? 1; epoch <= config.epochs; epoch++) {
    const resuming = resume !== undefined && epoch === resume.epoch;
    // The epoch's shuffle is drawn from this state: kept, so a resumed run draws the same one.
    if (resuming) setRngState(resume.rngAtEpochStart);
    const rngAtEpochStart = getRngState();
    hooks.onEpochStart?.(epoch, loader.length);
    const start = performance.now();
    model.train();
    let lossSum = resuming ? resume.lossSum : 0;
    let seen = resuming ? resume.seen : 0;
    let batch = 0;
    const snapshot = (at: number, epochOf: number, state: Uint8Array): Checkpoint => ({
      config, epoch: epochOf, step: at, model: model.stateDict(), optimizer: optimizer.stateDict(), scheduler: scheduler?.stateDict() ?? null,
      rngAtEpochStart: state, rng: getRngState(), lossSum, seen, history: history.map((m) => ({ ...m })), stepLosses: stepLosses.slice(),
    });
    for (const [images, labels] of loader) {
      if (resuming && batch < resume.step) {
        // Steps taken before the stop: their batches are drawn again, not trained on; then the
        // generator continues from where those steps left it (their dropout masks included).
        if (++batch === resume.step) setRngState(resume.rng);
        continue;
      }
      optimizer.zeroGrad();
      const loss = criterion.forward(logits(images), labels);
      loss.backward();
      optimizer.step();

      const value = loss.item();
      if (!Number.isFinite(value)) {
        throw new Error(`training stopped: the loss became ${value} at epoch ${epoch}, step ${batch + 1} (a smaller --lr may help)`);
      }
      stepLosses.push(value);
      lossSum += value * labels.numel();
      seen += labels.numel();
      const at = ++batch;
      hooks.onStep?.(at, value, seen / ((performance.now() - start) / 1000));
      yield { kind: 'step', epoch, step: at, checkpoint: () => snapshot(at, epoch, rngAtEpochStart) };
    }
    const trainSeconds = (performance.now() - start) / 1000;
    scheduler?.step();
    const test = evaluate(model, testSet, evalBatch);
    testPredictions = test.predicted;
    const metrics: EpochMetrics = {
      epoch,
      trainLoss: lossSum / seen,
      trainAcc: evaluate(model, trainSet, evalBatch).accuracy,
      testAcc: test.accuracy,
      seconds: trainSeconds,
    };
    history.push(metrics);
    hooks.onEpochEnd?.(metrics);
    lossSum = 0;
    seen = 0;
    yield { kind: 'epoch', epoch, step: 0, checkpoint: () => snapshot(0, epoch + 1, getRngState()) };
  }
  // The last epoch's evaluation already holds the held-out predictions.
  return { model, history, stepLosses, confusion: confusionMatrix(splits.test.labels, testPredictions, CLASSES) };
}

/** Runs training() to the end without stopping. */
export function train(config: TrainConfig, splits: Splits, hooks: TrainHooks = {}, resume?: Checkpoint): TrainResult {
  const steps = training(config, splits, hooks, resume);
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
  }
}
