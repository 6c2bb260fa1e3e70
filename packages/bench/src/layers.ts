/**
 * Forward + backward of batchNorm (training) and layerNorm with their own kernels against the
 * same normalizations composed of reductions and arithmetic (the references they are tested
 * against), on the same inputs, interleaved in one run, on the default backend. Prints median ms
 * and the ratio.
 */
import { batchNorm, layerNorm, manualSeed, randn, type Tensor } from '@wick/core';
import { batchNormReference, layerNormReference } from '@wick/core/testing';
import { interleaved, medianMs } from './timing';

/** Median ms of forward + backward from a fixed output gradient, by each of two forwards, interleaved. */
async function race(shape: number[], leaves: Tensor[], own: () => Tensor, composed: () => Tensor): Promise<string> {
  const g = randn(shape);
  const timed = (forward: () => Tensor) => () => {
    for (const t of leaves) t.grad = null;
    forward().backward(g);
  };
  const times = await interleaved({ own: () => medianMs(timed(own), 5, 1), composed: () => medianMs(timed(composed), 5, 1) }, 3);
  const label = `(${shape.join(', ')})`.padEnd(18);
  return `${label} ${times.own.toFixed(2).padStart(8)}  ${times.composed.toFixed(2).padStart(8)}   ${(times.composed / times.own).toFixed(2)}x`;
}

async function main(): Promise<void> {
  manualSeed(0);
  const header = 'shape              own       composed  composed/own';
  console.log('batchNorm (training) forward+backward: own kernels vs composed, median ms');
  console.log(header);
  for (const shape of [[64, 64, 24, 24], [64, 32, 26, 26], [256, 128]]) {
    const channels = shape[1];
    const dims = [0, ...shape.slice(2).map((_, i) => i + 2)];
    const x = randn(shape, { requiresGrad: true });
    const weight = randn([channels], { requiresGrad: true });
    const bias = randn([channels], { requiresGrad: true });
    const own = () => batchNorm(x, null, null, { weight, bias, training: true });
    const composed = () => batchNormReference(x, x.mean(dims), x.var(dims, { correction: 0 }), weight, bias, 1e-5);
    console.log(await race(shape, [x, weight, bias], own, composed));
  }
  console.log('\nlayerNorm forward+backward (over the last dim): own kernels vs composed, median ms');
  console.log(header);
  for (const shape of [[64, 128, 512], [4096, 1024]]) {
    const size = shape[shape.length - 1];
    const x = randn(shape, { requiresGrad: true });
    const weight = randn([size], { requiresGrad: true });
    const bias = randn([size], { requiresGrad: true });
    const own = () => layerNorm(x, [size], { weight, bias });
    const composed = () => layerNormReference(x, 1, weight, bias, 1e-5);
    console.log(await race(shape, [x, weight, bias], own, composed));
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
