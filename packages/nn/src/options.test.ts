import { conv2d, randn, tensor, zeros } from '@wick/core';
import { Conv2d, CrossEntropyLoss, F, Linear, data, optim } from './index';

// Python habits must not be ignored silently: every options object refuses keys it does not
// have, naming the key and the one most likely meant.
const loose = (o: Record<string, unknown>) => o as never;

describe('options objects refuse unknown keys', () => {
  const dataset = new data.TensorDataset(zeros([4, 2]));

  test("snake_case keywords get their camelCase name suggested", () => {
    expect(() => new data.DataLoader(dataset, loose({ batch_size: 64 }))).toThrow("DataLoader: unknown option 'batch_size'; did you mean 'batchSize'?");
    const params = new Linear(2, 2).parameters();
    expect(() => new optim.SGD(params, loose({ lr: 0.1, weight_decay: 1e-4 }))).toThrow("SGD: unknown option 'weight_decay'; did you mean 'weightDecay'?");
    expect(() => new optim.SGD([{ params, weight_decay: 0.1 } as never], { lr: 0.1 })).toThrow("SGD parameter group: unknown option 'weight_decay'; did you mean 'weightDecay'?");
    expect(() => new CrossEntropyLoss(loose({ ignore_index: 3 }))).toThrow("CrossEntropyLoss: unknown option 'ignore_index'; did you mean 'ignoreIndex'?");
    expect(() => new Conv2d(1, 2, 3, loose({ padding_mode: 'reflect' }))).toThrow("Conv2d: unknown option 'padding_mode'; did you mean 'paddingMode'?");
  });

  test('misspellings get the nearest name, and unrelated keys the list', () => {
    expect(() => conv2d(randn(1, 1, 4, 4), randn(1, 1, 3, 3), null, loose({ strides: 2 }))).toThrow("conv2d: unknown option 'strides'; did you mean 'stride'?");
    expect(() => F.maxPool2d(randn(1, 1, 4, 4), 2, loose({ ceil_mode: true }))).toThrow("maxPool2d: unknown option 'ceil_mode'; did you mean 'ceilMode'?");
    expect(() => tensor([1, 2], loose({ requires_grad: true }))).toThrow("tensor: unknown option 'requires_grad'; did you mean 'requiresGrad'?");
    expect(() => zeros(2, loose({ device: 'cpu' }))).toThrow("zeros: unknown option 'device' (known options: dtype, requiresGrad)");
    expect(() => new optim.Adam(new Linear(1, 1).parameters(), loose({ betas: [0.9, 0.99], foo: 1 }))).toThrow("Adam: unknown option 'foo'");
  });
});
