/**
 * Memory over a 10-epoch training run written the way users write one: the benchmark MLP, Adam,
 * CrossEntropyLoss, a shuffled DataLoader over 8000 samples in batches of 64, wasm backend, and
 * nothing disposed by hand. After each epoch it prints the typed-array memory still reachable and
 * the JS heap (after a full GC when node runs with --expose-gc), and the peak resident set so far
 * (the process's high-water mark). Run under --max-opt=2, with V8's top-tier optimizing compiler
 * (TurboFan) off, it shows how much of the resident set's rise is that compiler's doing.
 */
import { Generator, manualSeed, rand, randint } from '@wick/core';
import { CrossEntropyLoss, Linear, ReLU, Sequential, data, optim } from '@wick/nn';

const EPOCHS = 10;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const gc = (globalThis as { gc?: () => void }).gc;
const turbofanOff = process.execArgv.includes('--max-opt=2');

manualSeed(0);
const model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
const criterion = new CrossEntropyLoss();
const loader = new data.DataLoader(new data.TensorDataset(rand([8000, 784]), randint(0, 10, [8000])), {
  batchSize: 64, shuffle: true, generator: new Generator(0),
});

console.log(
  `\nMemory over ${EPOCHS} epochs of training (125 shuffled batches each)${turbofanOff ? ', TurboFan off (--max-opt=2)' : ''}:`,
);
console.log(`epoch  ${'live arrays'.padStart(11)}  ${'JS heap'.padStart(9)}  ${'peak RSS'.padStart(9)}`);
const arrays: number[] = [];
const heap: number[] = [];
const peak: number[] = [];
for (let epoch = 1; epoch <= EPOCHS; epoch++) {
  for (const [x, y] of loader) {
    opt.zeroGrad();
    criterion.forward(model.forward(x), y).backward();
    opt.step();
  }
  gc?.();
  const m = process.memoryUsage();
  arrays.push(m.arrayBuffers);
  heap.push(m.heapUsed);
  peak.push(process.resourceUsage().maxRSS * 1024);
  console.log(`${String(epoch).padStart(5)}  ${mb(m.arrayBuffers).padStart(11)}  ${mb(m.heapUsed).padStart(9)}  ${mb(peak[epoch - 1]).padStart(9)}`);
}
const range = (xs: number[]) => `${mb(Math.min(...xs))} to ${mb(Math.max(...xs))}`;
const lastRise = peak.reduce((at, p, i) => (i > 0 && p > peak[i - 1] ? i + 1 : at), 1);
console.log(
  `live typed arrays ${range(arrays)} (the 25 MB data set and the model)${gc ? '' : ', garbage included (no --expose-gc)'}; ` +
    `JS heap ${range(heap)}; peak resident set ${mb(peak[0])} after epoch 1, ${mb(peak[EPOCHS - 1])} after epoch ${EPOCHS}` +
    (lastRise > 1 ? `, last rising in epoch ${lastRise}` : ', flat from epoch 1'),
);
