// The @wick/nn README's example as an ES module, with what a user does next: save and load the
// weights, check the tensors are one kind, use the testing subpath and, asked to, two threads.
import { getBackend, maxNumThreads, matmul, randint, randn, ready, setNumThreads, Tensor } from '@wick/core';
import { assertClose } from '@wick/core/testing';
import { F, Linear, Module, optim, save, load } from '@wick/nn';

class MLP extends Module {
  fc1 = new Linear(784, 128);
  fc2 = new Linear(128, 10);
  forward(x) { return this.fc2.forward(F.relu(this.fc1.forward(x))); }
}

await ready();
const model = new MLP();
if (!(model.fc1.weight instanceof Tensor)) throw new Error('a Parameter of @wick/nn is not a Tensor of @wick/core');
const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
const [x, y] = [randn([64, 784]), randint(0, 10, [64])];
const losses = [];
for (let step = 0; step < 30; step++) {
  opt.zeroGrad();
  const loss = F.crossEntropy(model.forward(x), y);
  loss.backward();
  opt.step();
  losses.push(loss.item());
}
if (!(losses[29] < losses[0] / 2)) throw new Error(`the loss did not fall: ${losses[0]} -> ${losses[29]}`);
const report = [`${getBackend()} backend, loss ${losses[0].toFixed(3)} -> ${losses[29].toFixed(3)}`];
if (!process.argv.includes('--no-files')) {
  save(model.stateDict(), 'model.safetensors');
  const copy = new MLP();
  copy.loadStateDict(load('model.safetensors'));
  assertClose(copy.forward(x), model.forward(x));
  report.push('saved and loaded');
}
if (process.argv.includes('--threads')) {
  if (maxNumThreads() < 2) throw new Error(`no second thread here (maxNumThreads() = ${maxNumThreads()})`);
  const a = randn([256, 256]);
  const one = matmul(a, a);
  setNumThreads(2);
  assertClose(matmul(a, a), one);
  report.push('two threads');
}
console.log(report.join(', '));
