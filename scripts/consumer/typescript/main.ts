// A strict TypeScript user: typed modules, a generic training helper, the testing subpath.
import { randint, randn, type Tensor } from '@wick/core';
import { assertClose } from '@wick/core/testing';
import { F, Linear, Module, optim, serialize, deserialize } from '@wick/nn';

class MLP extends Module {
  fc1 = new Linear(20, 16);
  fc2 = new Linear(16, 3);
  forward(x: Tensor): Tensor {
    return this.fc2.forward(F.relu(this.fc1.forward(x)));
  }
}

/** One step of any classifier. */
function trainStep(model: Module<[Tensor], Tensor>, opt: optim.Optimizer, x: Tensor, y: Tensor): number {
  opt.zeroGrad();
  const loss = F.crossEntropy(model.forward(x), y);
  loss.backward();
  opt.step();
  return loss.item();
}

const model = new MLP();
const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
const x = randn([32, 20]);
const y = randint(0, 3, [32]);
const first = trainStep(model, opt, x, y);
let last = first;
for (let i = 0; i < 50; i++) last = trainStep(model, opt, x, y);
if (!(last < first)) throw new Error(`the loss did not fall: ${first} -> ${last}`);
const copy = new MLP();
copy.loadStateDict(deserialize(serialize(model.stateDict())));
assertClose(copy.forward(x), model.forward(x));
console.log(`loss ${first.toFixed(3)} -> ${last.toFixed(3)}`);
