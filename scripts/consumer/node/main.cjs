// The @wick/core README's example as CommonJS, and a layer of @wick/nn.
const { manualSeed, noGrad, randn, tensor, Tensor } = require('@wick/core');
const { Linear, save, load } = require('@wick/nn');

manualSeed(0);
const w = randn([3, 2], { requiresGrad: true });
const x = tensor([[1, 2, 3]]);
const loss = x.matmul(w).tanh().sum();
loss.backward();
noGrad(() => w.sub_(w.grad.mul(0.1)));
const layer = new Linear(3, 2);
if (!(layer.forward(x) instanceof Tensor)) throw new Error('a Linear output is not a Tensor');
save(layer.stateDict(), 'linear.safetensors');
const back = load('linear.safetensors');
console.log(`loss ${loss.item().toFixed(4)}, grad shape [${w.grad.shape}], saved ${Object.keys(back).join(' ')}`);
