import { getBackend, useBackend, type BackendName } from '@wick/core';
import { save } from '@wick/nn';
import type { TrainConfig } from './cli';
import type { ImageSet, Splits } from './data';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCheckpoint, writeCheckpoint } from './checkpoint';
import { train, training, type Checkpoint, type TrainResult } from './trainer';
import { loadEmbeddedDigits } from './data/embedded';
import torchCurve from '../golden/mlp_sgd.json';
import torchCnn from '../golden/cnn_adadelta.json';

/** The first n images of a set. */
function head(set: ImageSet, n: number): ImageSet {
  return { images: set.images.subarray(0, n * set.pixels), labels: set.labels.subarray(0, n), count: n, pixels: set.pixels };
}

const digits = loadEmbeddedDigits();
const small: Splits = { train: head(digits.train, 640), test: head(digits.test, 200), description: 'small' };
const config: TrainConfig = { model: 'mlp', epochs: 2, batchSize: 64, lr: 5e-3, optimizer: 'adam', gamma: 1, overwrite: false, seed: 1, loss: 'cross-entropy', hidden: 32, threads: 1, backend: 'wasm' };

describe('training on real digits', () => {
  test('the embedded data split is 8,000 / 2,000 with all ten digits', () => {
    expect(digits.train.count).toBe(8000);
    expect(digits.test.count).toBe(2000);
    expect(new Set(digits.test.labels).size).toBe(10);
  });

  test('a short run: the loss falls and accuracy beats chance by far', () => {
    const result = train(config, small);
    const losses = result.stepLosses;
    expect(losses).toHaveLength(20);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-5))).toBeLessThan(0.6 * mean(losses.slice(0, 5)));
    expect(result.history[1].testAcc).toBeGreaterThan(0.6);
    expect(result.confusion.flat().reduce((a, b) => a + b, 0)).toBe(200);
  });

  test('the same seed gives the same loss at every step, bit for bit; another seed does not', () => {
    const a = train({ ...config, epochs: 1 }, small).stepLosses;
    const b = train({ ...config, epochs: 1 }, small).stepLosses;
    expect(b).toEqual(a);
    expect(train({ ...config, epochs: 1, seed: 2 }, small).stepLosses).not.toEqual(a);
  });

  test('LogSoftmax + NLLLoss trains exactly like CrossEntropyLoss', () => {
    const ce = train({ ...config, epochs: 1 }, small).stepLosses;
    const nll = train({ ...config, epochs: 1, loss: 'nll' }, small).stepLosses;
    nll.forEach((v, i) => expect(v).toBeCloseTo(ce[i], 4));
  });
});

test('a loss that stops being finite stops training, naming the epoch and step', () => {
  expect(() => train({ ...config, epochs: 1, lr: 1e30 }, small)).toThrow(/training stopped: the loss became (NaN|Infinity) at epoch 1, step \d+/);
});

describe('backends', () => {
  test("the wasm backend's loss curve over the first epoch equals the plain backend's", () => {
    const previous = getBackend();
    const run = (backend: BackendName) =>
      train({ ...config, epochs: 1, lr: 1e-3, hidden: 128, backend }, { ...small, train: digits.train }).stepLosses;
    try {
      const plain = run('cpu');
      const wasm = run('wasm');
      expect(wasm).toHaveLength(125);
      wasm.forEach((v, i) => expect(Math.abs(v - plain[i])).toBeLessThan(1e-4 * Math.max(1, plain[i])));
    } finally {
      useBackend(previous);
    }
  });
});

describe('the same run as PyTorch', () => {
  // scripts/golden/mlp_sgd.py trains the same MLP in PyTorch from the same seed, its weights and
  // shuffle drawn by torch itself: `pnpm train --model mlp --optimizer sgd` repeats every step's loss.
  test.each(['wasm', 'cpu'] as const)('pnpm train --model mlp --optimizer sgd: first-epoch losses equal PyTorch\'s to 1e-5 (%s backend)', (backend) => {
    const previous = getBackend();
    try {
      const sgd: TrainConfig = { ...config, optimizer: 'sgd', lr: torchCurve.lr, seed: torchCurve.seed, hidden: 128, epochs: 1, backend };
      const losses = train(sgd, { ...digits, description: 'embedded' }).stepLosses;
      expect(losses).toHaveLength(torchCurve.stepLosses.length);
      losses.forEach((v, i) => expect(Math.abs(v - torchCurve.stepLosses[i])).toBeLessThanOrEqual(1e-5));
    } finally {
      useBackend(previous);
    }
  });
});

describe("the cnn is pytorch/examples' Net, trained as there", () => {
  // scripts/golden/cnn_adadelta.py: the same Net in PyTorch from seed 0 on the first 640 training
  // digits (Adadelta, batch 64, normalized images); weights, shuffle and dropout masks all drawn
  // by torch. Wick draws the same ones, so the first steps agree to 1e-5; float32 rounding
  // differences (convolutions summed in another order) then grow through ReLU's kinks and
  // Adadelta's normalised steps, to about 6e-3 by the eighth step. A wrong mask, weight or order
  // is off by 0.1 or more from the first step.
  test('pnpm train --model cnn: the first ten steps follow PyTorch\'s', () => {
    const cnn: TrainConfig = { ...config, model: 'cnn', optimizer: 'adadelta', lr: 1, gamma: 0.7, seed: 0, epochs: 1 };
    const subset: Splits = { train: head(digits.train, torchCnn.subset), test: head(digits.test, 100), description: 'subset' };
    const result = train(cnn, subset);
    expect(result.stepLosses).toHaveLength(torchCnn.stepLosses.length);
    result.stepLosses.forEach((v, i) => expect(Math.abs(v - torchCnn.stepLosses[i])).toBeLessThanOrEqual(i < 5 ? 1e-5 : 2e-2));
    expect(Object.keys(result.model.stateDict())).toEqual([
      'conv1.weight', 'conv1.bias', 'conv2.weight', 'conv2.bias', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias',
    ]);
  });
});

describe('checkpoints: a run stopped and resumed trains exactly as one never stopped', () => {
  /** The checkpoint taken at `epoch`, `step` of a run (step 0: the end of the epoch before). */
  function stopAt(run: TrainConfig, splits: Splits, epoch: number, step: number): Checkpoint {
    for (const p of training(run, splits)) {
      if (step === 0 && p.kind === 'epoch' && p.epoch === epoch - 1) return p.checkpoint();
      if (p.kind === 'step' && p.epoch === epoch && p.step === step) return p.checkpoint();
    }
    throw new Error(`the run never reached epoch ${epoch}, step ${step}`);
  }

  function expectSameRun(resumed: TrainResult, full: TrainResult): void {
    expect(resumed.stepLosses).toEqual(full.stepLosses);
    expect(resumed.history.map(({ seconds: _, ...m }) => m)).toEqual(full.history.map(({ seconds: _, ...m }) => m));
    const weights = (r: TrainResult) => Object.entries(r.model.stateDict()).map(([k, v]) => [k, Array.from(v.dataSync())]);
    expect(weights(resumed)).toEqual(weights(full));
    expect(resumed.confusion).toEqual(full.confusion);
  }

  const subset: Splits = { train: head(digits.train, 320), test: head(digits.test, 100), description: 'subset' };
  test.each([
    ['mlp, adam, mid-epoch', { ...config, epochs: 3 }, small, 2, 4],
    ['mlp, sgd with momentum, between epochs', { ...config, epochs: 3, optimizer: 'sgd', lr: 0.05, gamma: 0.5 }, small, 2, 0],
    ['cnn with dropout, adadelta and StepLR, mid-epoch', { ...config, model: 'cnn', optimizer: 'adadelta', lr: 1, gamma: 0.7, epochs: 2 }, subset, 1, 2],
  ] as const)('%s: the same losses, metrics and weights, bit for bit, through the checkpoint file', (_, run, splits, epoch, step) => {
    const full = train(run, splits);
    const path = join(mkdtempSync(join(tmpdir(), 'checkpoint-')), 'checkpoint.safetensors');
    writeCheckpoint(path, stopAt(run, splits, epoch, step), splits.description);
    const read = readCheckpoint(path);
    expect(read.data).toBe(splits.description);
    expect(read.checkpoint).toMatchObject({ epoch, step });
    expectSameRun(train(run, splits, {}, read.checkpoint), full);
  });

  test('a file that is not a checkpoint is refused, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'checkpoint-'));
    expect(() => readCheckpoint(join(dir, 'checkpoint.safetensors'))).toThrow(`${join(dir, 'checkpoint.safetensors')}: no checkpoint here to resume from`);
    const model = join(dir, 'model.safetensors');
    save(train({ ...config, epochs: 1 }, small).model.stateDict(), model);
    expect(() => readCheckpoint(model)).toThrow(`${model}: is not a checkpoint of pnpm train`);
  });

  test('a checkpoint at a position the run never reaches is refused', () => {
    const run = { ...config, epochs: 2 };
    const at = stopAt(run, small, 1, 3);
    expect(() => train(run, small, {}, { ...at, epoch: 3 })).toThrow("the checkpoint's epoch 3 is not one of this run's epochs 1 to 2");
    expect(() => train(run, small, {}, { ...at, step: 11 })).toThrow("the checkpoint's step 11 is not one of an epoch's 0 to 10 steps");
  });
});
