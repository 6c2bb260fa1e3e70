import { checkOptions, randperm, type Generator } from '@wick/core';
import { Subset, type Dataset } from './dataset';

/**
 * Sample counts from `lengths`: counts summing to the dataset's length, or fractions summing to 1,
 * floored, with the remainder given one at a time to the first subsets (torch 1.13's rule).
 */
function splitLengths(total: number, lengths: readonly number[]): number[] {
  const sum = lengths.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) <= 1e-9 && sum <= 1 && lengths.every((f) => f >= 0 && f <= 1)) {
    const counts = lengths.map((f) => Math.floor(total * f));
    const remainder = total - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) counts[i % counts.length] += 1;
    return counts;
  }
  if (!lengths.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new Error(`randomSplit: lengths must be non-negative integers or fractions summing to 1, got [${lengths.join(', ')}]`);
  }
  if (sum !== total) {
    throw new Error(`randomSplit: sum of input lengths (${sum}) does not equal the length of the input dataset (${total})`);
  }
  return [...lengths];
}

/**
 * Splits a dataset into non-overlapping random subsets of the given lengths, as
 * torch.utils.data.random_split: one randperm of the whole dataset from `generator` (default: the
 * default generator), cut in order, so the same seed gives torch's subsets.
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: readonly number[], options: { generator?: Generator } = {}): Subset<T>[] {
  checkOptions('randomSplit', options, ['generator']);
  const counts = splitLengths(dataset.length, lengths);
  const order = Array.from(randperm(dataset.length, { generator: options.generator }).dataSync());
  let offset = 0;
  return counts.map((n) => {
    offset += n;
    return new Subset(dataset, order.slice(offset - n, offset));
  });
}
