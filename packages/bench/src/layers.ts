/**
 * Forward + backward of the layers with kernels of their own, batchNorm (training), layerNorm,
 * avgPool2d, adaptiveAvgPool2d, adaptiveMaxPool2d and grouped and depthwise conv2d, against the
 * same ops composed of reductions, arithmetic and unfold (the references they are tested
 * against), interleaved in one run on the default backend on one thread, and against PyTorch on
 * one thread (python/torch_layers.py, where /usr/bin/python3 has torch). Prints median ms and
 * the ratios.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { adaptiveAvgPool2d, adaptiveMaxPool2d, avgPool2d, batchNorm, conv2d, layerNorm, manualSeed, randn, setNumThreads, type Tensor } from '@wick/core';
import { adaptiveAvgPool2dReference, adaptiveMaxPool2dReference, avgPool2dReference, batchNormReference, conv2dReference, layerNormReference } from '@wick/core/testing';
import { interleaved, medianMs } from './timing';

const PYTHON = '/usr/bin/python3';

/** A layer timed: its row label, the tensors whose gradients it makes, and its two forwards. */
interface Case {
  label: string;
  leaves: Tensor[];
  own: () => Tensor;
  composed: () => Tensor;
}

function cases(): Case[] {
  const list: Case[] = [];
  for (const shape of [[64, 64, 24, 24], [64, 32, 26, 26], [256, 128]]) {
    const channels = shape[1];
    const dims = [0, ...shape.slice(2).map((_, i) => i + 2)];
    const [x, weight, bias] = [shape, [channels], [channels]].map((s) => randn(s, { requiresGrad: true }));
    list.push({
      label: `batchNorm (${shape.join(', ')})`,
      leaves: [x, weight, bias],
      own: () => batchNorm(x, null, null, { weight, bias, training: true }),
      composed: () => batchNormReference(x, x.mean(dims), x.var(dims, { correction: 0 }), weight, bias, 1e-5),
    });
  }
  for (const shape of [[64, 128, 512], [4096, 1024]]) {
    const size = shape[shape.length - 1];
    const [x, weight, bias] = [shape, [size], [size]].map((s) => randn(s, { requiresGrad: true }));
    list.push({
      label: `layerNorm (${shape.join(', ')})`,
      leaves: [x, weight, bias],
      own: () => layerNorm(x, [size], { weight, bias }),
      composed: () => layerNormReference(x, 1, weight, bias, 1e-5),
    });
  }
  const x = randn([64, 64, 24, 24], { requiresGrad: true });
  list.push({
    label: 'avgPool2d (64, 64, 24, 24), 2x2',
    leaves: [x],
    own: () => avgPool2d(x, 2),
    composed: () => avgPool2dReference(x, [2, 2], [2, 2], [0, 0], true, null, [12, 12]),
  });
  for (const size of [1, 7]) {
    list.push({
      label: `adaptiveAvgPool2d (64, 64, 24, 24) to ${size}x${size}`,
      leaves: [x],
      own: () => adaptiveAvgPool2d(x, size),
      composed: () => adaptiveAvgPool2dReference(x, size, size),
    });
  }
  list.push({
    label: 'adaptiveMaxPool2d (64, 64, 24, 24) to 7x7',
    leaves: [x],
    own: () => adaptiveMaxPool2d(x, 7),
    composed: () => adaptiveMaxPool2dReference(x, 7, 7),
  });
  for (const groups of [4, 64]) {
    const [input, weight, bias] = [[64, 64, 24, 24], [64, 64 / groups, 3, 3], [64]].map((s) => randn(s, { requiresGrad: true }));
    list.push({
      label: `conv2d (64, 64, 24, 24), 3x3, groups ${groups}`,
      leaves: [input, weight, bias],
      own: () => conv2d(input, weight, bias, { padding: 1, groups }),
      composed: () => conv2dReference(input, weight, bias, { padding: 1 }, groups),
    });
  }
  return list;
}

/** PyTorch's median ms per case label on one thread, or null where /usr/bin/python3 has no torch. */
function torchTimes(): { version: string; ms: Record<string, number> } | null {
  if (!existsSync(PYTHON)) return null;
  const run = spawnSync(PYTHON, [join(__dirname, '..', 'python', 'torch_layers.py')], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
  });
  return run.status === 0 ? (JSON.parse(run.stdout) as { version: string; ms: Record<string, number> }) : null;
}

async function main(): Promise<void> {
  manualSeed(0);
  setNumThreads(1);
  const torch = torchTimes();
  console.log('Layers with kernels of their own, forward+backward, median ms: own kernels, composed reference, PyTorch (1 thread)');
  console.log(`${'layer'.padEnd(42)} ${'own'.padStart(8)} ${'composed'.padStart(9)} ${'PyTorch'.padStart(8)}  composed/own  own/PyTorch`);
  for (const { label, leaves, own, composed } of cases()) {
    const g = randn(own().shape);
    const timed = (forward: () => Tensor) => () => {
      for (const t of leaves) t.grad = null;
      forward().backward(g);
    };
    const times = await interleaved({ own: () => medianMs(timed(own), 5, 1), composed: () => medianMs(timed(composed), 5, 1) }, 3);
    const reference = torch?.ms[label];
    const columns = [
      times.own.toFixed(2).padStart(8),
      times.composed.toFixed(2).padStart(9),
      (reference === undefined ? '-' : reference.toFixed(2)).padStart(8),
      `${(times.composed / times.own).toFixed(2)}x`.padStart(12),
      (reference === undefined ? '-' : `${(times.own / reference).toFixed(2)}x`).padStart(12),
    ];
    console.log(`${label.padEnd(42)} ${columns.join(' ')}`);
  }
  if (torch === null) console.log('(PyTorch not measured: /usr/bin/python3 with torch not found)');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
