/**
 * One training step of an MLP 784-128-ReLU-10 with batch 64 (forward, log-softmax + NLL,
 * backward, SGD update) in Wick on each backend, TensorFlow.js (WASM and CPU backends) and,
 * where /usr/bin/python3 has torch, PyTorch: interleaved rounds in one run, then the median
 * ms/step of each and its ratio to PyTorch on the same number of threads (1, and 2 where this
 * platform gives Wick a second thread). Also GEMM GF/s for the three layouts a training step needs.
 */
import { availableBackends, maxNumThreads, rand, setNumThreads, useBackend, type Tensor } from '@wick/core';
import { interleaved, median, medianMs, sampleSubject, type Sampler } from './timing';
import { wickStep } from './contenders/wick';
import { tfjsStep } from './contenders/tfjs';
import { TorchStep } from './contenders/torch';

const ROUNDS = 7;
const GEMM_PASSES = 3;


function gemmTable(backend: string, threads: number): string[] {
  useBackend(backend);
  setNumThreads(threads);
  const layouts: [string, Tensor, Tensor][] = [
    ['A @ B     [64,784]x[784,128]', rand([64, 784]), rand([784, 128])],
    ['A^T @ B   [784,64]^T x [784,128]', rand([784, 64]).t(), rand([784, 128])],
    ['A @ B^T   [64,128]x[784,128]^T', rand([64, 128]), rand([784, 128]).t()],
  ];
  // Interleaved passes, the median pass reported: the first calls that return a large product
  // can run slow while malloc still hands out fresh pages for it.
  const passes = layouts.map(() => [] as number[]);
  for (let pass = 0; pass < GEMM_PASSES; pass++) {
    layouts.forEach(([, a, b], i) => passes[i].push(medianMs(() => a.matmul(b), backend === 'cpu' ? 20 : 200, 5)));
  }
  return layouts.map(([name, a, b], i) => {
    const [m, k] = a.shape;
    const n = b.shape[1];
    return `  ${name.padEnd(34)} ${((2 * m * k * n) / (median(passes[i]) * 1e6)).toFixed(1).padStart(6)} GF/s`;
  });
}

/** A contender in the step race and the thread count whose PyTorch it is compared with. */
interface Entry {
  threads: number;
  sample: Sampler;
}

async function main(): Promise<void> {
  const threadCounts = availableBackends().includes('wasm') && maxNumThreads() > 1 ? [1, 2] : [1];
  const contenders: Record<string, Entry> = {};
  for (const backend of availableBackends()) {
    contenders[`Wick (${backend})`] = { threads: 1, sample: sampleSubject(wickStep(backend), backend === 'cpu' ? 15 : 60, 2) };
  }
  if (threadCounts.includes(2)) {
    contenders['Wick (wasm, 2 threads)'] = { threads: 2, sample: sampleSubject(wickStep('wasm', 2), 60, 2) };
  }
  contenders['TensorFlow.js 4.22 (wasm)'] = { threads: 1, sample: sampleSubject(await tfjsStep('wasm'), 40, 2) };
  contenders['TensorFlow.js 4.22 (cpu)'] = { threads: 1, sample: sampleSubject(await tfjsStep('cpu'), 10, 2) };
  const torches: TorchStep[] = [];
  const reference = new Map<number, string>();
  for (const threads of threadCounts) {
    const torch = await TorchStep.start(threads);
    if (torch === null) break;
    torches.push(torch);
    const name = `PyTorch ${torch.version} (${threads} thread${threads > 1 ? 's' : ''})`;
    contenders[name] = { threads, sample: () => torch.medianMs(200) };
    reference.set(threads, name);
  }

  const samplers = Object.fromEntries(Object.entries(contenders).map(([name, e]) => [name, e.sample]));
  const ms = await interleaved(samplers, ROUNDS);
  for (const torch of torches) torch.stop();

  // PyTorch on one thread is the reference (and PyTorch's fastest here); the second column
  // sets each row against PyTorch on as many threads.
  const single = reference.get(1);
  const ratio = (name: string, ref: string | undefined) => (ref === undefined ? '' : `${(ms[name] / ms[ref]).toFixed(2)}x`);
  console.log('Training step, MLP 784-128-10, batch 64, SGD, log-softmax + NLL: median ms/step');
  console.log(`${'system'.padEnd(34)} ${'ms/step'.padStart(8)} ${'x PyTorch 1 thread'.padStart(19)} ${'x PyTorch same threads'.padStart(23)}`);
  for (const [name, { threads }] of Object.entries(contenders)) {
    const columns = [ratio(name, single).padStart(19), ratio(name, reference.get(threads)).padStart(23)];
    console.log(`${name.padEnd(34)} ${ms[name].toFixed(3).padStart(8)} ${columns.join(' ')}`);
  }
  if (reference.size === 0) console.log('(PyTorch not measured: /usr/bin/python3 with torch not found)');
  for (const backend of availableBackends()) {
    console.log(`\nGEMM on one thread, Wick ${backend} backend:`);
    for (const line of gemmTable(backend, 1)) console.log(line);
  }
  if (threadCounts.includes(2)) {
    console.log('\nGEMM on two threads, Wick wasm backend:');
    for (const line of gemmTable('wasm', 2)) console.log(line);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
