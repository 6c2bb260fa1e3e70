/**
 * Forward + backward of the layers with kernels of their own, batchNorm (training), layerNorm,
 * avgPool2d and adaptiveAvgPool2d, against the same ops composed of reductions, arithmetic and
 * unfold (the references they are tested against), on the same inputs, interleaved in one run, on
 * the default backend. Prints median ms and the ratio.
 */
import { adaptiveAvgPool2d, avgPool2d, batchNorm, layerNorm, manualSeed, randn, type Tensor } from '@wick/core';
import { adaptiveAvgPool2dReference, avgPool2dReference, batchNormReference, layerNormReference } from '@wick/core/testing';
import { interleaved, medianMs } from './timing';

/** Median ms of forward + backward from a fixed output gradient, by each of two forwards, interleaved. */
async function race(label: string, leaves: Tensor[], own: () => Tensor, composed: () => Tensor): Promise<string> {
  const g = randn(own().shape);
  const timed = (forward: () => Tensor) => () => {
    for (const t of leaves) t.grad = null;
    forward().backward(g);
  };
  const times = await interleaved({ own: () => medianMs(timed(own), 5, 1), composed: () => medianMs(timed(composed), 5, 1) }, 3);
  return `${label.padEnd(22)} ${times.own.toFixed(2).padStart(8)}  ${times.composed.toFixed(2).padStart(8)}   ${(times.composed / times.own).toFixed(2)}x`;
}

async function main(): Promise<void> {
  manualSeed(0);
  const header = `${'input'.padEnd(22)} ${'own'.padStart(8)}  ${'composed'.padStart(8)}   composed/own`;
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
    console.log(await race(`(${shape.join(', ')})`, [x, weight, bias], own, composed));
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
    console.log(await race(`(${shape.join(', ')})`, [x, weight, bias], own, composed));
  }
  console.log('\navgPool2d 2x2 and adaptiveAvgPool2d to 1x1 and 7x7, forward+backward: own kernels vs composed, median ms');
  console.log(header);
  const x = randn([64, 64, 24, 24], { requiresGrad: true });
  console.log(await race('(64, 64, 24, 24), 2x2', [x], () => avgPool2d(x, 2), () => avgPool2dReference(x, [2, 2], [2, 2], [0, 0], true, null, [12, 12])));
  for (const size of [1, 7]) {
    console.log(await race(`(64, 64, 24, 24) to ${size}x${size}`, [x], () => adaptiveAvgPool2d(x, size), () => adaptiveAvgPool2dReference(x, size, size)));
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
