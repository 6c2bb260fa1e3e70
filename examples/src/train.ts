#!/usr/bin/env node
/**
 * The main job: train a classifier of handwritten digits and write weights, metrics and curves.
 * Run from the repository root with `pnpm train [options]`; `pnpm train --help` lists them.
 */
import { join, resolve } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { save, writeFileAtomic } from '@wick/nn';
import { parseCli, USAGE, UsageError, type TrainConfig } from './cli';
import { loadSplits } from './data';
import { prepareOutDir } from './outDir';
import { formatConfusion } from './report/confusion';
import { curvesSvg } from './report/curves';
import { train } from './trainer';

/** What the log and the weights' metadata call the model. */
function architecture(config: TrainConfig, pixels: number): string {
  return config.model === 'cnn' ? "Net of pytorch/examples mnist/main.py" : `MLP ${pixels}-${config.hidden}-10`;
}

function defaultOutDir(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join('runs', `mnist-${stamp}`);
}

function main(argv: readonly string[]): number {
  let config: TrainConfig | null;
  try {
    config = parseCli(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`error: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (config === null) {
    console.log(USAGE);
    return 0;
  }
  const outDir = resolve(config.outDir ?? defaultOutDir());
  prepareOutDir(outDir, config.overwrite);
  const splits = loadSplits(config.dataDir);
  console.log(`data: ${splits.description}`);
  console.log(
    `model: ${architecture(config, splits.train.pixels)}, ${config.optimizer} lr=${config.lr}${config.gamma === 1 ? '' : ` (x${config.gamma} per epoch)`}, ` +
      `batch ${config.batchSize}, ${config.epochs} epochs, loss ${config.model === 'cnn' ? 'nll' : config.loss}, seed ${config.seed}, ` +
      `backend ${config.backend} (${config.threads} thread${config.threads > 1 ? 's' : ''})`,
  );

  const bar = new SingleBar(
    {
      format: 'epoch {epoch} |{bar}| {value}/{total} batches | loss {loss} | {speed} samples/s',
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  const result = train(config, splits, {
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
  });

  save(result.model.stateDict(), join(outDir, 'model.safetensors'), { format: 'pt', architecture: architecture(config, splits.train.pixels) });
  const final = result.history[result.history.length - 1];
  writeFileAtomic(
    join(outDir, 'metrics.json'),
    `${JSON.stringify({ config, data: splits.description, epochs: result.history, confusionMatrix: result.confusion }, null, 2)}\n`,
  );
  writeFileAtomic(join(outDir, 'curves.svg'), curvesSvg(result.history, `${splits.description}; final test accuracy ${(100 * final.testAcc).toFixed(2)}%`));
  console.log(`\nconfusion matrix on the ${splits.test.count} held-out images (rows: true digit, columns: predicted):`);
  console.log(formatConfusion(result.confusion));
  console.log(`\nfinal test accuracy ${(100 * final.testAcc).toFixed(2)}%`);
  console.log(`wrote ${join(outDir, 'model.safetensors')}, metrics.json and curves.svg`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  // Bad data files and the like: their messages name the file and the problem.
  console.error(`error: ${(e as Error).message}`);
  process.exitCode = 1;
}
