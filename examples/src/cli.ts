import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { maxNumThreads } from '@wick/core';

export type ModelName = 'mlp' | 'cnn';
export type OptimizerName = 'adam' | 'adamw' | 'sgd' | 'adadelta';
export type LossName = 'cross-entropy' | 'nll';
export type BackendChoice = 'cpu' | 'wasm';

export interface TrainConfig {
  model: ModelName;
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer: OptimizerName;
  /** StepLR's factor: the learning rate is multiplied by it after every epoch (1: constant). */
  gamma: number;
  seed: number;
  dataDir?: string;
  outDir?: string;
  /** Replace the files of an existing run in outDir. */
  overwrite: boolean;
  loss: LossName;
  hidden: number;
  /** Threads for kernels (setNumThreads), or 'auto': Wick's default, the second thread only where it pays. */
  threads: number | 'auto';
  backend: BackendChoice;
}

export const USAGE = `Train a classifier of handwritten digits with Wick.

Usage: pnpm train [options]

Options:
  --model NAME       mlp: 784-hidden-10 with ReLU, on pixels in [0, 1]; or cnn: the Net of
                     pytorch/examples mnist/main.py (two convolutions, max pooling, dropout,
                     log-softmax + NLL), on normalized images (default mlp)
  --epochs N         passes over the training set (default 15 for mlp, 14 for cnn)
  --batch-size N     samples per minibatch (default 64)
  --lr X             learning rate (default 0.001 for adam/adamw, 0.05 for sgd, 1.0 for adadelta)
  --optimizer NAME   adam, adamw, sgd (with momentum 0.9) or adadelta
                     (default adam for mlp, adadelta for cnn)
  --gamma X          multiply the learning rate by X after every epoch (StepLR)
                     (default 1 for mlp, 0.7 for cnn)
  --seed N           seeds initialisation and shuffling (default 0)
  --data DIR         read MNIST-format IDX files from DIR (train-images-idx3-ubyte[.gz],
                     train-labels-idx1-ubyte[.gz], t10k-...) instead of the embedded digits;
                     e.g. /usr/share/datasets/fashion-mnist
  --out DIR          where to write model.safetensors, metrics.json and curves.svg
                     (default runs/mnist-<date>-<time>); checked writable before training,
                     and refused if it already holds files, unless --overwrite
  --overwrite        replace the files of an existing run in --out
  --loss NAME        mlp only: cross-entropy (CrossEntropyLoss on logits) or nll
                     (LogSoftmax + NLLLoss) (default cross-entropy)
  --hidden N         mlp only: hidden units (default 128)
  --threads N        threads for kernels: 1, or 2 in Node on 2 cores, splitting every
                     convolution and matrix product of 2^20 multiply-adds or more; or auto,
                     Wick's default: 2 where they pay, for convolutions and products of
                     2^24 or more (default auto)
  --backend NAME     wasm (WebAssembly SIMD) or cpu (plain TypeScript) (default wasm)
  --resume DIR       continue the run in DIR from its checkpoint.safetensors, with its options,
                     exactly as if it had not stopped (no other option is taken with it)
  -h, --help         show this help`;

/** `pnpm train --resume DIR`: continue the run in DIR. */
export interface ResumeRequest {
  resume: string;
}

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

/**
 * `--flag -1` as `--flag=-1`: a value starting with '-' would otherwise be taken for an option
 * ("argument is ambiguous"), where the user meant a number that the checks below then refuse.
 */
function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    if (argv[i].startsWith('--') && !argv[i].includes('=') && next !== undefined && /^-\d|^-\.\d/.test(next)) {
      out.push(`${argv[i]}=${next}`);
      i++;
    } else out.push(argv[i]);
  }
  return out;
}

/** Parses the command line; returns null when help was asked for. */
export function parseCli(argv: readonly string[], maxThreads = maxNumThreads()): TrainConfig | ResumeRequest | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(argv),
      strict: true,
      allowPositionals: false,
      options: {
        epochs: { type: 'string' },
        'batch-size': { type: 'string' },
        lr: { type: 'string' },
        optimizer: { type: 'string' },
        gamma: { type: 'string' },
        seed: { type: 'string' },
        data: { type: 'string' },
        out: { type: 'string' },
        overwrite: { type: 'boolean' },
        loss: { type: 'string' },
        hidden: { type: 'string' },
        model: { type: 'string' },
        threads: { type: 'string' },
        backend: { type: 'string' },
        resume: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  if (v.help) return null;
  if (v.resume !== undefined) {
    const others = Object.keys(v).filter((k) => k !== 'resume');
    if (others.length > 0) throw new UsageError(`--resume continues a run with the options it was started with; it takes no other option, got ${others.map((k) => `--${k}`).join(', ')}`);
    if (!(existsSync(v.resume) && statSync(v.resume).isDirectory())) throw new UsageError(`--resume must be the directory of a run, got '${v.resume}', which is not a directory`);
    return { resume: v.resume };
  }
  const model = oneOf('model', v.model, ['mlp', 'cnn'] as const, 'mlp');
  const cnn = model === 'cnn';
  for (const flag of ['loss', 'hidden'] as const) {
    if (cnn && v[flag] !== undefined) throw new UsageError(`--${flag} applies to --model mlp only; the cnn is pytorch/examples' Net, which ends in log-softmax and trains with NLL`);
  }
  const optimizer = oneOf('optimizer', v.optimizer, ['adam', 'adamw', 'sgd', 'adadelta'] as const, cnn ? 'adadelta' : 'adam');
  let lr = { adam: 1e-3, adamw: 1e-3, sgd: 0.05, adadelta: 1.0 }[optimizer];
  if (v.lr !== undefined) {
    lr = Number(v.lr);
    if (!(lr > 0) || !Number.isFinite(lr)) throw new UsageError(`--lr must be a positive number, got '${v.lr}'`);
  }
  let gamma = cnn ? 0.7 : 1;
  if (v.gamma !== undefined) {
    gamma = Number(v.gamma);
    if (!(gamma > 0 && gamma <= 1)) throw new UsageError(`--gamma must be a number in (0, 1], got '${v.gamma}'`);
  }
  let seed = 0;
  if (v.seed !== undefined) {
    seed = Number(v.seed);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, got '${v.seed}'`);
  }
  if (v.out !== undefined && v.out.trim() === '') throw new UsageError("--out must name a directory, got ''");
  const threads = v.threads === undefined || v.threads === 'auto' ? 'auto' : Number(v.threads);
  if (threads !== 'auto' && !(Number.isInteger(threads) && threads > 0)) throw new UsageError(`--threads must be a positive integer or auto, got '${v.threads}'`);
  if (threads !== 'auto' && threads > maxThreads) throw new UsageError(`--threads must be at most ${maxThreads} here (this platform gives kernels ${maxThreads} thread${maxThreads > 1 ? 's' : ''}), got ${threads}`);
  if (v.data !== undefined && !(existsSync(v.data) && statSync(v.data).isDirectory())) {
    throw new UsageError(`--data must be a directory of IDX files, got '${v.data}', which is not a directory`);
  }
  return {
    epochs: positiveInteger('epochs', v.epochs, cnn ? 14 : 15),
    batchSize: positiveInteger('batch-size', v['batch-size'], 64),
    lr,
    optimizer,
    gamma,
    seed,
    dataDir: v.data,
    outDir: v.out,
    overwrite: v.overwrite === true,
    model,
    loss: oneOf('loss', v.loss, ['cross-entropy', 'nll'] as const, 'cross-entropy'),
    hidden: positiveInteger('hidden', v.hidden, 128),
    threads,
    backend: oneOf('backend', v.backend, ['wasm', 'cpu'] as const, 'wasm'),
  };
}
