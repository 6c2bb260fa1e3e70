import type { Tensor } from '@wick/core';
import { F, Linear, Module } from '@wick/nn';

/** A multilayer perceptron for 28x28 digits, written as a PyTorch user writes one. */
export class MLP extends Module {
  fc1: Linear;
  fc2: Linear;

  constructor(inFeatures = 784, hidden = 128, classes = 10) {
    super();
    this.fc1 = new Linear(inFeatures, hidden);
    this.fc2 = new Linear(hidden, classes);
  }

  forward(x: Tensor): Tensor {
    x = x.flatten(1);
    x = F.relu(this.fc1.forward(x));
    return this.fc2.forward(x);
  }
}
