import { Generator, arange, manualSeed, tensor, type Tensor } from '@wick/core';
import { DataLoader, TensorDataset, type Dataset } from './index';
import { describeEachBackend } from '@wick/test-harness';

// Every test here runs on each backend this platform has.
describeEachBackend('data', () => {
  const xs = arange(10).reshape(10, 1).float();
  const ys = arange(10);

  function epoch(loader: Iterable<readonly Tensor[]>): number[][] {
    return [...loader].map(([, y]) => [...y.dataSync()]);
  }

  describe('DataLoader', () => {
    test('batches in order with a smaller last batch, or drops it', () => {
      const loader = new DataLoader(new TensorDataset(xs, ys), { batchSize: 4 });
      expect(loader.length).toBe(3);
      const batches = [...loader];
      expect(batches.map(([x]) => x.shape)).toEqual([[4, 1], [4, 1], [2, 1]]);
      expect(batches[2][1].dtype).toBe('int64');
      expect(epoch(loader)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
      expect(epoch(new DataLoader(new TensorDataset(xs, ys), { batchSize: 4, dropLast: true }))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    });

    test('shuffles every sample exactly once, differently each epoch, the same way under a seed', () => {
      const make = () => new DataLoader(new TensorDataset(xs, ys), { batchSize: 3, shuffle: true, generator: new Generator(7) });
      const loader = make();
      const first = epoch(loader);
      const second = epoch(loader);
      expect(first.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(second).not.toEqual(first);
      expect(epoch(make())).toEqual(first);
      manualSeed(7);
      const unseeded = new DataLoader(new TensorDataset(xs, ys), { batchSize: 3, shuffle: true });
      const third = epoch(unseeded);
      manualSeed(7);
      expect(epoch(unseeded)).toEqual(third);
    });

    test('inputs and targets stay paired', () => {
      for (const [x, y] of new DataLoader(new TensorDataset(xs, ys), { batchSize: 4, shuffle: true, generator: new Generator(1) })) {
        expect([...x.dataSync()]).toEqual([...y.dataSync()]);
      }
    });

    test('any dataset: samples are stacked', () => {
      const squares: Dataset<[Tensor, Tensor]> = { length: 5, get: (i) => [tensor([i, i * i]), tensor(i, { dtype: 'int64' })] };
      const [x, y] = [...new DataLoader(squares, { batchSize: 5 })][0];
      expect(x.toArray()).toEqual([[0, 0], [1, 1], [2, 4], [3, 9], [4, 16]]);
      expect(y.toArray()).toEqual([0, 1, 2, 3, 4]);
    });

    test('bad arguments', () => {
      expect(() => new DataLoader(new TensorDataset(xs), { batchSize: 0 })).toThrow('batchSize must be a positive integer, got 0');
      expect(() => new TensorDataset(xs, arange(3))).toThrow('tensor 0 has 10 rows, tensor 1 has shape [3]');
      expect(() => new TensorDataset(xs).get(10)).toThrow('index 10 is out of range for 10 samples');
    });
  });
});
