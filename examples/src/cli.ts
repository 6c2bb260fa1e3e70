import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';

export type ModelName = 'mlp';
export type OptimizerName = 'adam' | 'adamw' | 'sgd';
export type LossName = 'cross-entropy' | 'nll';
export type BackendChoice = 'cpu' | 'wasm';

export interface TrainConfig {
  model: ModelName;
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer: OptimizerName;
  seed: number;
  dataDir?: string;
  outDir?: string;
  loss: LossName;
  hidden: number;
  threads: number;
  backend: BackendChoice;
}

export const USAGE = `Train a 784-128-10 MLP on handwritten digits with Wick.

Usage: pnpm train [options]

Options:
  --model NAME       mlp: 784-hidden-10 with ReLU (default mlp)
  --epochs N         passes over the training set (default 15)
  --batch-size N     samples per minibatch (default 64)
  --lr X             learning rate (default 0.001 for adam/adamw, 0.05 for sgd)
  --optimizer NAME   adam, adamw or sgd (sgd uses momentum 0.9) (default adam)
  --seed N           seeds initialisation and shuffling (default 0)
  --data DIR         read MNIST-format IDX files from DIR (train-images-idx3-ubyte[.gz],
                     train-labels-idx1-ubyte[.gz], t10k-...) instead of the embedded digits;
                     e.g. /usr/share/datasets/fashion-mnist
  --out DIR          where to write model.safetensors, metrics.json and curves.svg
                     (default runs/mnist-<date>-<time>)
  --loss NAME        cross-entropy (CrossEntropyLoss on logits) or nll
                     (LogSoftmax + NLLLoss) (default cross-entropy)
  --hidden N         hidden units (default 128)
  --threads N        threads for large matrix products: 1, or 2 in Node (default 1)
  --backend NAME     wasm (WebAssembly SIMD) or cpu (plain TypeScript) (default wasm)
  -h, --help         show this help`;

/** A bad command line: the message is shown with the usage. */
export class UsageError extends Error {}

function positiveInteger(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v <= 0) throw new UsageError(`--${flag} must be a positive integer, got '${raw}'`);
  return v;
}

function oneOf<T extends string>(flag: string, raw: string | undefined, allowed: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}, got '${raw}'`);
  return raw as T;
}

/** Parses the command line; returns null when help was asked for. */
export function parseCli(argv: readonly string[]): TrainConfig | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        epochs: { type: 'string' },
        'batch-size': { type: 'string' },
        lr: { type: 'string' },
        optimizer: { type: 'string' },
        seed: { type: 'string' },
        data: { type: 'string' },
        out: { type: 'string' },
        loss: { type: 'string' },
        hidden: { type: 'string' },
        model: { type: 'string' },
        threads: { type: 'string' },
        backend: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  if (v.help) return null;
  const optimizer = oneOf('optimizer', v.optimizer, ['adam', 'adamw', 'sgd'] as const, 'adam');
  let lr = optimizer === 'sgd' ? 0.05 : 1e-3;
  if (v.lr !== undefined) {
    lr = Number(v.lr);
    if (!(lr > 0) || !Number.isFinite(lr)) throw new UsageError(`--lr must be a positive number, got '${v.lr}'`);
  }
  let seed = 0;
  if (v.seed !== undefined) {
    seed = Number(v.seed);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, got '${v.seed}'`);
  }
  if (v.data !== undefined && !(existsSync(v.data) && statSync(v.data).isDirectory())) {
    throw new UsageError(`--data must be a directory of IDX files, got '${v.data}', which is not a directory`);
  }
  return {
    epochs: positiveInteger('epochs', v.epochs, 15),
    batchSize: positiveInteger('batch-size', v['batch-size'], 64),
    lr,
    optimizer,
    seed,
    dataDir: v.data,
    outDir: v.out,
    model: oneOf('model', v.model, ['mlp'] as const, 'mlp'),
    loss: oneOf('loss', v.loss, ['cross-entropy', 'nll'] as const, 'cross-entropy'),
    hidden: positiveInteger('hidden', v.hidden, 128),
    threads: positiveInteger('threads', v.threads, 1),
    backend: oneOf('backend', v.backend, ['wasm', 'cpu'] as const, 'wasm'),
  };
}
