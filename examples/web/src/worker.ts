/**
 * The page's training worker: holds the model, trains it on the embedded digits as `pnpm train`
 * does (the same models, inputs, losses and optimizers), and answers predictions, loads and saves,
 * so the page itself never blocks.
 */
import { getBackend, getNumThreads, Generator, manualSeed, maxNumThreads, noGrad, ready, setNumThreads, tensor, type Tensor } from '@wick/core';
import { CrossEntropyLoss, NLLLoss, data, deserialize, optim, serialize, type Module, type StateDict } from '@wick/nn';
import { MLP, Net } from '../../src/model';
import { modelDataset, modelInputs, type ModelKind } from '../../src/data/modelInputs';
import { decodeDigits, PIXELS } from './digits';
import type { ImageSet } from '../../src/data/modelInputs';
import type { FromWorker, ToWorker, TrainSettings } from './protocol';

interface Scope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as Scope;
const post = (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

type Classifier = Module<[Tensor], Tensor>;

let digits: { train: ImageSet; test: ImageSet } | null = null;
let current: { kind: ModelKind; model: Classifier } | null = null;
let paused = false;
let stopRequested = false;
let resume: (() => void) | null = null;

/** Lets queued messages (pause, stop, predict) run between steps, without a timer's clamping. */
const channel = new MessageChannel();
const pending: (() => void)[] = [];
channel.port1.onmessage = () => pending.shift()?.();
function yieldToMessages(): Promise<void> {
  return new Promise((done) => {
    pending.push(done);
    channel.port2.postMessage(null);
  });
}

function makeModel(kind: ModelKind): Classifier {
  return kind === 'cnn' ? new Net() : new MLP(PIXELS, 128, 10);
}

/** Accuracy and the confusion matrix (rows: true digit) of the model on a set. */
function evaluate(kind: ModelKind, model: Classifier, set: ImageSet): { accuracy: number; confusion: number[][] } {
  model.eval();
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  let correct = 0;
  noGrad(() => {
    for (const [images, labels] of new data.DataLoader(modelDataset(kind, set), { batchSize: 500 })) {
      const guess = model.forward(images).argmax(1).dataSync();
      const truth = labels.dataSync();
      guess.forEach((g, i) => {
        confusion[truth[i]][g]++;
        if (g === truth[i]) correct++;
      });
    }
  });
  return { accuracy: correct / set.count, confusion };
}

/** Trains a new model with the page's settings, posting every step and epoch. */
async function train(settings: TrainSettings): Promise<void> {
  if (digits === null) throw new Error('the digits are not loaded yet');
  const { model: kind, batchSize, lr, epochs, seed, threads } = settings;
  // Two threads where the page is cross-origin isolated: the GEMM's second thread is a nested worker.
  setNumThreads(threads === 'auto' ? maxNumThreads() : Math.min(maxNumThreads(), threads));
  manualSeed(seed);
  const model = makeModel(kind);
  current = { kind, model };
  // As pnpm train: Adam for the mlp, pytorch/examples' Adadelta with StepLR for the cnn.
  const optimizer = kind === 'cnn' ? new optim.Adadelta(model.parameters(), { lr }) : new optim.Adam(model.parameters(), { lr });
  const scheduler = kind === 'cnn' ? new optim.StepLR(optimizer, { stepSize: 1, gamma: 0.7 }) : null;
  const criterion = kind === 'cnn' ? new NLLLoss() : new CrossEntropyLoss();
  const trainSet = modelDataset(kind, digits.train);
  const loader = new data.DataLoader(trainSet, { batchSize, shuffle: true, generator: new Generator().manualSeed(seed) });
  const steps = Math.ceil(trainSet.length / batchSize);
  stopRequested = false;
  for (let epoch = 1; epoch <= epochs && !stopRequested; epoch++) {
    model.train();
    let step = 0;
    let seen = 0;
    let busy = 0;
    for (const [images, labels] of loader) {
      const started = performance.now();
      optimizer.zeroGrad();
      const loss = criterion.forward(model.forward(images), labels);
      loss.backward();
      optimizer.step();
      const value = loss.item();
      const ms = performance.now() - started;
      step++;
      seen += labels.numel();
      busy += ms;
      post({ kind: 'step', epoch, step, steps, loss: value, samplesPerSecond: (1000 * seen) / busy, ms, threads: getNumThreads() });
      await yieldToMessages();
      while (paused && !stopRequested) await new Promise<void>((done) => (resume = done));
      if (stopRequested) break;
    }
    scheduler?.step();
    if (stopRequested) break;
    const trainAcc = evaluate(kind, model, digits.train).accuracy;
    post({ kind: 'epoch', epoch, trainAcc, testAcc: evaluate(kind, model, digits.test).accuracy });
  }
  const { accuracy, confusion } = evaluate(kind, model, digits.test);
  post({ kind: 'done', confusion, testAcc: accuracy, stopped: stopRequested });
}

/** Probabilities of the ten classes for each image (n rows of 784 pixels in [0, 1]). */
function predict(images: Float32Array): Float32Array {
  if (current === null) throw new Error('there is no model yet: train one or load model.safetensors');
  const { kind, model } = current;
  model.eval();
  const x = modelInputs(kind, tensor(images, { shape: [images.length / PIXELS, PIXELS] }));
  return noGrad(() => {
    const out = model.forward(x);
    // The mlp gives logits, the cnn log-probabilities.
    return Float32Array.from((kind === 'cnn' ? out.exp() : out.softmax(1)).dataSync());
  });
}

/** A model from a state dict written by pnpm train (or by this page): its keys tell which. */
function loadModel(state: StateDict): { kind: ModelKind; model: Classifier } {
  const kind: ModelKind = 'conv1.weight' in state ? 'cnn' : 'mlp';
  const hidden = state['fc1.weight']?.shape[0];
  const model = kind === 'cnn' ? new Net() : new MLP(PIXELS, hidden ?? 128, 10);
  model.loadStateDict(state);
  return { kind, model };
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.kind) {
    case 'train':
      paused = false;
      return train(message.settings);
    case 'pause':
      paused = true;
      return;
    case 'resume':
      paused = false;
      resume?.();
      return;
    case 'stop':
      stopRequested = true;
      resume?.();
      return;
    case 'predict': {
      const probabilities = predict(message.images);
      post({ kind: 'predicted', id: message.id, probabilities }, [probabilities.buffer]);
      return;
    }
    case 'load': {
      if (digits === null) throw new Error('the digits are not loaded yet');
      current = loadModel(deserialize(message.bytes, 'model.safetensors'));
      const { accuracy, confusion } = evaluate(current.kind, current.model, digits.test);
      post({ kind: 'loaded', model: current.kind, testAcc: accuracy, confusion });
      return;
    }
    case 'save': {
      if (current === null) throw new Error('there is no model to save yet');
      const bytes = serialize(current.model.stateDict(), { format: 'pt' });
      post({ kind: 'saved', bytes }, [bytes.buffer]);
      return;
    }
  }
}

scope.onmessage = (event) => {
  handle(event.data).catch((e: unknown) => post({ kind: 'error', message: (e as Error).message }));
};

void (async () => {
  await ready();
  const response = await fetch('digits.bin');
  digits = decodeDigits(await response.arrayBuffer());
  post({ kind: 'ready', trainCount: digits.train.count, testCount: digits.test.count, backend: getBackend(), threads: maxNumThreads() });
})().catch((e: unknown) => post({ kind: 'error', message: (e as Error).message }));
