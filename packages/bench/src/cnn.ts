/**
 * One training step of pytorch/examples' mnist CNN (batch 64, Adadelta, NLL, dropout on) in Wick
 * on the wasm backend (1 and 2 threads), TensorFlow.js on its cpu backend and, where
 * /usr/bin/python3 has torch, PyTorch (1 and 2 threads): interleaved rounds in one run (TensorFlow.js
 * timed once, left out with --without-tfjs), then the median ms/step and the ratio to PyTorch on
 * one thread and on as many. Also GF/s of the three convolution passes of the second layer.
 */
import { availableBackends, conv2d, maxNumThreads, randn, setNumThreads, useBackend } from '@wick/core';
import { wickCnnStep } from './contenders/wick';
import { TorchStep } from './contenders/torch';
import { tfjsCnnStep } from './contenders/tfjs';
import { interleaved, median, medianMs, sampleSubject, type Sampler } from './timing';

const ROUNDS = 3;

/**
 * GF/s of conv2's forward, weight-gradient and input-gradient passes, each 2 * 64 * 64 * 288 * 576
 * flops: a gradient pass timed as forward + backward from a dense output gradient (as the layer
 * gets in training) with only that gradient wanted, less the forward.
 */
function convPasses(threads: number): string[] {
  useBackend('wasm');
  setNumThreads(threads);
  const flops = 2 * 64 * 64 * 288 * 576;
  const gradOutput = randn([64, 64, 24, 24]);
  const time = (xGrad: boolean, wGrad: boolean) => {
    const x = randn([64, 32, 26, 26], { requiresGrad: xGrad });
    const w = randn([64, 32, 3, 3], { requiresGrad: wGrad });
    const run = xGrad || wGrad ? () => conv2d(x, w).backward(gradOutput) : () => conv2d(x, w);
    return median([0, 1, 2].map(() => medianMs(run, 3, 1)));
  };
  const forward = time(false, false);
  const passes: [string, number][] = [
    ['forward', forward],
    ['weight gradient', time(false, true) - forward],
    ['input gradient', time(true, false) - forward],
  ];
  return passes.map(([name, ms]) => `  ${name.padEnd(22)} ${(flops / (ms * 1e6)).toFixed(1).padStart(6)} GF/s  (${ms.toFixed(1)} ms)`);
}

async function main(): Promise<void> {
  if (!availableBackends().includes('wasm')) {
    console.log('CNN step: the wasm backend is not available here');
    return;
  }
  const threadCounts = maxNumThreads() > 1 ? [1, 2] : [1];
  const contenders: Record<string, { threads: number; sample: Sampler }> = {};
  for (const t of threadCounts) contenders[`Wick (wasm, ${t} thread${t > 1 ? 's' : ''})`] = { threads: t, sample: sampleSubject(wickCnnStep('wasm', t), 4, 1) };
  const torches: TorchStep[] = [];
  const reference = new Map<number, string>();
  for (const t of threadCounts) {
    const torch = await TorchStep.start(t, 'cnn');
    if (torch === null) break;
    torches.push(torch);
    const name = `PyTorch ${torch.version} (${t} thread${t > 1 ? 's' : ''})`;
    reference.set(t, name);
    contenders[name] = { threads: t, sample: () => torch.medianMs(10) };
  }
  const ms = await interleaved(Object.fromEntries(Object.entries(contenders).map(([k, v]) => [k, v.sample])), ROUNDS);
  const rows = Object.entries(contenders).map(([name, { threads }]) => ({ name, threads }));
  // TensorFlow.js' cpu backend takes minutes a step, so it is timed once, after one untimed step.
  if (!process.argv.includes('--without-tfjs')) {
    const tfjs = 'TensorFlow.js 4.22 (cpu, 1 step)';
    const tfjsStep = await tfjsCnnStep();
    tfjsStep.select();
    ms[tfjs] = medianMs(tfjsStep.step, 1, 1);
    rows.push({ name: tfjs, threads: 1 });
  }
  for (const torch of torches) torch.stop();
  console.log('\nTraining step, pytorch/examples mnist CNN, batch 64, Adadelta: median ms/step');
  console.log('system                              ms/step  x PyTorch 1 thread  x PyTorch same threads');
  const one = reference.has(1) ? ms[reference.get(1) as string] : null;
  for (const { name, threads } of rows) {
    const same = reference.has(threads) ? ms[reference.get(threads) as string] : null;
    const ratio = (base: number | null) => (base === null ? '-' : `${(ms[name] / base).toFixed(2)}x`);
    console.log(`${name.padEnd(34)} ${ms[name].toFixed(1).padStart(8)} ${ratio(one).padStart(19)} ${ratio(same).padStart(23)}`);
  }
  if (reference.size === 0) console.log('(PyTorch not measured: /usr/bin/python3 with torch not found)');
  for (const t of threadCounts) {
    console.log(`\nconv2 [64,32,26,26] * [64,32,3,3], Wick wasm, ${t} thread${t > 1 ? 's' : ''}:`);
    for (const line of convPasses(t)) console.log(line);
  }
}

void main();
