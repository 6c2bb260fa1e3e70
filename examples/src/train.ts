#!/usr/bin/env node
/**
 * The main job: train a classifier of handwritten digits and write weights, metrics and curves.
 * Run from the repository root with `pnpm train [options]`; `pnpm train --help` lists them.
 */
import { join, resolve } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { getNumThreads, zeros } from '@wick/core';
import { onnx, save, writeFileAtomic, type Module } from '@wick/nn';
import { CHECKPOINT_FILE, readCheckpoint, writeCheckpoint } from './checkpoint';
import { parseCli, USAGE, UsageError, type TrainConfig } from './cli';
import { loadSplits } from './data';
import { prepareOutDir } from './outDir';
import { formatConfusion } from './report/confusion';
import { curvesSvg } from './report/curves';
import { training, type Checkpoint, type TrainResult } from './trainer';

/** What the log and the weights' metadata call the model. */
function architecture(config: TrainConfig, pixels: number): string {
  return config.model === 'cnn' ? "Net of pytorch/examples mnist/main.py" : `MLP ${pixels}-${config.hidden}-10`;
}

/**
 * model.onnx: the trained model for ONNX Runtime and other ONNX readers, taking a batch of any
 * size of the images it was trained on ((N, 1, 28, 28) normalized for the cnn, (N, pixels) in
 * [0, 1] for the mlp) and giving the model's scores.
 */
function writeOnnx(model: Module, config: TrainConfig, pixels: number, path: string): void {
  const example = zeros(config.model === 'cnn' ? [1, 1, 28, 28] : [1, pixels]);
  const dynamicAxes = { input: { 0: 'batch' }, output: { 0: 'batch' } };
  onnx.exportModel(model, [example], { file: path, inputNames: ['input'], outputNames: ['output'], dynamicAxes });
}

/** The run's threads as the log line gives them. */
function threadsText(threads: TrainConfig['threads']): string {
  if (threads === 'auto') return `threads auto: ${getNumThreads()} where they pay`;
  return `${threads} thread${threads > 1 ? 's' : ''}`;
}

function defaultOutDir(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join('runs', `mnist-${stamp}`);
}

/** Exit statuses of a run stopped by a signal, as a shell reports them (128 + the signal's number). */
const SIGNAL_STATUS = { SIGINT: 130, SIGTERM: 143 } as const;

async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseCli(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`error: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed === null) {
    console.log(USAGE);
    return 0;
  }
  let config: TrainConfig;
  let resume: { checkpoint: Checkpoint; data: string } | undefined;
  let outDir: string;
  if ('resume' in parsed) {
    outDir = resolve(parsed.resume);
    resume = readCheckpoint(join(outDir, CHECKPOINT_FILE));
    config = { ...resume.checkpoint.config, outDir };
    if (resume.checkpoint.epoch > config.epochs) throw new Error(`${outDir}: this run finished all its ${config.epochs} epochs; there is nothing to resume`);
  } else {
    config = parsed;
    outDir = resolve(config.outDir ?? defaultOutDir());
    prepareOutDir(outDir, config.overwrite);
  }
  const splits = loadSplits(config.dataDir);
  if (resume !== undefined && resume.data !== splits.description) {
    throw new Error(`${join(outDir, CHECKPOINT_FILE)}: the run was trained on ${resume.data}, but the data read now are ${splits.description}`);
  }
  console.log(`data: ${splits.description}`);
  console.log(
    `model: ${architecture(config, splits.train.pixels)}, ${config.optimizer} lr=${config.lr}${config.gamma === 1 ? '' : ` (x${config.gamma} per epoch)`}, ` +
      `batch ${config.batchSize}, ${config.epochs} epochs, loss ${config.model === 'cnn' ? 'nll' : config.loss}, seed ${config.seed}, ` +
      `backend ${config.backend} (${threadsText(config.threads)})`,
  );
  if (resume !== undefined) console.log(`resuming at epoch ${resume.checkpoint.epoch}, after step ${resume.checkpoint.step}`);

  const bar = new SingleBar(
    {
      format: 'epoch {epoch} |{bar}| {value}/{total} batches | loss {loss} | {speed} samples/s',
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  const steps = training(
    config,
    splits,
    {
      onEpochStart: (epoch, batches) => bar.start(batches, 0, { epoch: `${epoch}/${config.epochs}`, loss: '-', speed: '-' }),
      onStep: (batch, loss, speed) => bar.update(batch, { loss: loss.toFixed(4), speed: Math.round(speed) }),
      onEpochEnd: (m) => {
        bar.stop();
        console.log(
          `epoch ${String(m.epoch).padStart(2)}/${config.epochs}  train loss ${m.trainLoss.toFixed(4)}  ` +
            `train acc ${(100 * m.trainAcc).toFixed(2)}%  test acc ${(100 * m.testAcc).toFixed(2)}%  ` +
            `${m.seconds.toFixed(2)} s (${Math.round(splits.train.count / m.seconds)} samples/s)`,
        );
      },
    },
    resume?.checkpoint,
  );

  // Ctrl-C or a kill stops the run after the step in progress, with a checkpoint to resume from.
  const checkpointPath = join(outDir, CHECKPOINT_FILE);
  let stop: keyof typeof SIGNAL_STATUS | null = null;
  const onSignal = (signal: keyof typeof SIGNAL_STATUS) => {
    stop = signal;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let result: TrainResult;
  let checkpointed = resume !== undefined;
  try {
    for (;;) {
      const next = steps.next();
      if (next.done === true) {
        result = next.value;
        break;
      }
      // Every epoch's end is checkpointed, so a crash loses at most the epoch in progress.
      if (next.value.kind === 'epoch') {
        writeCheckpoint(checkpointPath, next.value.checkpoint(), splits.description);
        checkpointed = true;
      }
      // Between steps the event loop runs, so that a signal is seen.
      await new Promise((done) => setImmediate(done));
      if (stop !== null) {
        bar.stop();
        writeCheckpoint(checkpointPath, next.value.checkpoint(), splits.description);
        const { epoch, step } = next.value.kind === 'epoch' ? { epoch: next.value.epoch + 1, step: 0 } : next.value;
        console.log(`\n${stop}: stopped at epoch ${epoch}, after step ${step}; wrote ${checkpointPath}\ncontinue with: pnpm train --resume ${outDir}`);
        return SIGNAL_STATUS[stop];
      }
    }
  } catch (e) {
    // The terminal gets its cursor back, and the user learns what of the run is kept.
    bar.stop();
    throw new Error(`${(e as Error).message}; ${checkpointed ? `the last checkpoint is kept in ${checkpointPath}` : 'no epoch was finished, so no checkpoint was written'}`, { cause: e });
  }

  save(result.model.stateDict(), join(outDir, 'model.safetensors'), { format: 'pt', architecture: architecture(config, splits.train.pixels) });
  writeOnnx(result.model, config, splits.train.pixels, join(outDir, 'model.onnx'));
  const final = result.history[result.history.length - 1];
  writeFileAtomic(
    join(outDir, 'metrics.json'),
    `${JSON.stringify({ config, data: splits.description, epochs: result.history, confusionMatrix: result.confusion }, null, 2)}\n`,
  );
  writeFileAtomic(join(outDir, 'curves.svg'), curvesSvg(result.history, `${splits.description}; final test accuracy ${(100 * final.testAcc).toFixed(2)}%`));
  console.log(`\nconfusion matrix on the ${splits.test.count} held-out images (rows: true digit, columns: predicted):`);
  console.log(formatConfusion(result.confusion));
  console.log(`\nfinal test accuracy ${(100 * final.testAcc).toFixed(2)}%`);
  console.log(`wrote ${join(outDir, 'model.safetensors')}, model.onnx, metrics.json, curves.svg and ${CHECKPOINT_FILE}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (e: unknown) => {
    // Bad data files and the like: their messages name the file and the problem.
    console.error(`error: ${(e as Error).message}`);
    process.exit(1);
  },
);
