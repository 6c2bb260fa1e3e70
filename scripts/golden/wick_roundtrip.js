// Step 2 of safetensors_interop.py: Wick loads PyTorch's file, halves the weights, saves its own.
const path = require('node:path');
const { noGrad } = require('../../packages/core/dist');
const { Linear, ReLU, Sequential, load, save } = require('../../packages/nn/dist');

const golden = path.join(__dirname, '..', '..', 'packages', 'nn', 'golden');
const model = new Sequential(new Linear(20, 16), new ReLU(), new Linear(16, 10));
model.loadStateDict(load(path.join(golden, 'torch_mlp.safetensors')));
noGrad(() => model.parameters().forEach((p) => p.mul_(0.5)));
save(model.stateDict(), path.join(golden, 'wick_mlp.safetensors'));
