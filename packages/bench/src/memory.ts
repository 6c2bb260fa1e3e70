/**
 * Memory over a 20-epoch training run of the benchmark MLP (125 minibatches of 64 per epoch, Adam,
 * wasm backend): heap, typed-array memory and resident set after each epoch, once garbage is
 * collected if node runs with --expose-gc. Tensors are ordinary JS objects, freed when
 * unreachable: nothing is disposed by hand, and usage should stay flat after the first epochs.
 * The resident set also holds what malloc keeps of freed typed-array backing stores, so it is
 * compared between the two halves of the run: a leak would keep it climbing.
 */
import { manualSeed, rand, randint } from '@wick/core';
import { CrossEntropyLoss, Linear, ReLU, Sequential, optim } from '@wick/nn';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`.padStart(9);
const gc = (globalThis as { gc?: () => void }).gc;

manualSeed(0);
const model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
const criterion = new CrossEntropyLoss();
const x = rand([8000, 784]);
const y = randint(0, 10, [8000]);

const EPOCHS = 20;
console.log(`Memory over ${EPOCHS} epochs of training (125 steps each)${gc ? ', after a full GC' : ''}:`);
console.log('epoch      heap   arrays      rss');
const heap: number[] = [];
const arrays: number[] = [];
const rss: number[] = [];
for (let epoch = 1; epoch <= EPOCHS; epoch++) {
  for (let b = 0; b < 125; b++) {
    opt.zeroGrad();
    criterion.forward(model.forward(x.narrow(0, b * 64, 64)), y.narrow(0, b * 64, 64)).backward();
    opt.step();
  }
  gc?.();
  const m = process.memoryUsage();
  heap.push(m.heapUsed);
  arrays.push(m.arrayBuffers);
  rss.push(m.rss);
  console.log(`${String(epoch).padStart(5)} ${mb(m.heapUsed)} ${mb(m.arrayBuffers)} ${mb(m.rss)}`);
}
const growth = (Math.max(...heap.slice(1)) - heap[0]) / 1e6;
console.log(
  `JS heap: ${mb(heap[0]).trim()} after epoch 1, at most ${growth.toFixed(1)} MB more later (JIT warm-up levels off); ` +
    `typed arrays: ${mb(Math.min(...arrays)).trim()} to ${mb(Math.max(...arrays)).trim()} ` +
    `(the 25 MB data set, plus buffers freed but not yet swept); ` +
    `resident set: at most ${mb(Math.max(...rss.slice(0, EPOCHS / 2))).trim()} in epochs 1-${EPOCHS / 2}, ` +
    `${mb(Math.max(...rss.slice(EPOCHS / 2))).trim()} in epochs ${EPOCHS / 2 + 1}-${EPOCHS}`,
);
