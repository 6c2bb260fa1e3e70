import type { Tensor } from '@wick/core';
import { Conv2d, Dropout, F, Linear, Module } from '@wick/nn';

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

/**
 * The convolutional network of pytorch/examples' mnist/main.py, written as there: two 3x3
 * convolutions, max pooling, dropout and two linear layers, ending in log-probabilities.
 */
export class Net extends Module {
  conv1 = new Conv2d(1, 32, 3, { stride: 1 });
  conv2 = new Conv2d(32, 64, 3, { stride: 1 });
  dropout1 = new Dropout(0.25);
  dropout2 = new Dropout(0.5);
  fc1 = new Linear(9216, 128);
  fc2 = new Linear(128, 10);

  forward(x: Tensor): Tensor {
    x = F.relu(this.conv1.forward(x));
    x = F.relu(this.conv2.forward(x));
    x = F.maxPool2d(x, 2);
    x = this.dropout1.forward(x);
    x = x.flatten(1);
    x = F.relu(this.fc1.forward(x));
    x = this.dropout2.forward(x);
    x = this.fc2.forward(x);
    return F.logSoftmax(x, 1);
  }
}
