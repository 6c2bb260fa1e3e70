import { tensor, randn, manualSeed, gradcheck } from './index';
test('smoke', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
  const w = tensor([[1, 0], [0, 1], [1, 1]], { requiresGrad: true });
  const y = x.matmul(w).relu().sum();
  y.backward();
  console.log(String(y), String(x.grad), String(w.grad));
  manualSeed(0);
  const a = randn([3, 4], { dtype: 'float64', requiresGrad: true });
  console.log(String(a), a.logSoftmax(1).toString());
  console.log(gradcheck((t) => t.logSoftmax(1).mul(t).sum(1), [a]));
});
