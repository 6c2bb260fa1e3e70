/**
 * One training step of an MLP 784-128-ReLU-10 with batch 64 (forward, log-softmax + NLL,
 * backward, SGD update) in Wick on each backend, TensorFlow.js (WASM and CPU backends) and,
 * where /usr/bin/python3 has torch, PyTorch on one thread: interleaved rounds in one run, then
 * the median ms/step of each and its ratio to PyTorch. Also GEMM GF/s for the three layouts a
 * training step needs.
 */
import { availableBackends, createWasmBackend, rand, setNumThreads, useBackend, type BackendName, type Tensor } from '@wick/core';
import { interleaved, medianMs, type Sampler } from './timing';
import { wickStep } from './contenders/wick';
import { tfjsStep } from './contenders/tfjs';
import { TorchStep } from './contenders/torch';

const ROUNDS = 7;

function maxThreads(): number {
  return createWasmBackend()?.maxThreads() ?? 1;
}

function gemmTable(backend: BackendName, threads: number): string[] {
  useBackend(backend);
  setNumThreads(threads);
  const layouts: [string, Tensor, Tensor][] = [
    ['A @ B     [64,784]x[784,128]', rand([64, 784]), rand([784, 128])],
    ['A^T @ B   [784,64]^T x [784,128]', rand([784, 64]).t(), rand([784, 128])],
    ['A @ B^T   [64,128]x[784,128]^T', rand([64, 128]), rand([784, 128]).t()],
  ];
  return layouts.map(([name, a, b]) => {
    const [m, k] = a.shape;
    const n = b.shape[1];
    const ms = medianMs(() => a.matmul(b), backend === 'cpu' ? 20 : 200, 5);
    return `  ${name.padEnd(34)} ${((2 * m * k * n) / (ms * 1e6)).toFixed(1).padStart(6)} GF/s`;
  });
}

async function main(): Promise<void> {
  const contenders: Record<string, Sampler> = {};
  for (const backend of availableBackends()) {
    const step = wickStep(backend);
    contenders[`Wick (${backend})`] = () => medianMs(step, backend === 'cpu' ? 15 : 60, 2);
  }
  if (availableBackends().includes('wasm') && maxThreads() > 1) {
    const step = wickStep('wasm', 2);
    contenders['Wick (wasm, 2 threads)'] = () => medianMs(step, 60, 2);
  }
  const tfWasm = await tfjsStep('wasm');
  contenders['TensorFlow.js 4.22 (wasm)'] = () => medianMs(tfWasm, 40, 2);
  const tfCpu = await tfjsStep('cpu');
  contenders['TensorFlow.js 4.22 (cpu)'] = () => medianMs(tfCpu, 10, 2);
  const torch = await TorchStep.start();
  if (torch !== null) contenders[`PyTorch ${torch.version} (1 thread)`] = () => torch.medianMs(200);

  const results = Object.entries(await interleaved(contenders, ROUNDS));
  torch?.stop();
  const reference = results.find(([name]) => name.startsWith('PyTorch'))?.[1];

  console.log('Training step, MLP 784-128-10, batch 64, SGD, log-softmax + NLL: median ms/step');
  console.log(`${'system'.padEnd(34)} ${'ms/step'.padStart(8)}  ${reference ? 'x PyTorch' : ''}`);
  for (const [name, ms] of results) {
    console.log(`${name.padEnd(34)} ${ms.toFixed(3).padStart(8)}  ${reference ? `${(ms / reference).toFixed(2)}x` : ''}`);
  }
  if (!reference) console.log('(PyTorch not measured: /usr/bin/python3 with torch not found)');
  for (const backend of availableBackends()) {
    console.log(`\nGEMM on one thread, Wick ${backend} backend:`);
    for (const line of gemmTable(backend, 1)) console.log(line);
  }
  if (availableBackends().includes('wasm') && maxThreads() > 1) {
    console.log('\nGEMM on two threads, Wick wasm backend:');
    for (const line of gemmTable('wasm', 2)) console.log(line);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
