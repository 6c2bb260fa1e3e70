import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { dirname, join } from 'node:path';
import type { Subject } from '../timing';

/** Puts a TensorFlow.js backend in force: its WASM backend (XNNPACK, SIMD) or its pure-JS CPU one. */
async function useTfjs(backend: 'wasm' | 'cpu'): Promise<void> {
  if (backend === 'wasm') setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '..', 'dist')}/`);
  await tf.setBackend(backend);
  await tf.ready();
}

/** A training step: minimize the mean NLL of `logProbs`' output on one-hot targets for 64 random samples. */
function trainingStep(backend: 'wasm' | 'cpu', logProbs: () => tf.Tensor, opt: tf.Optimizer): Subject {
  const y = tf.oneHot(tf.randomUniform([64], 0, 10, 'int32'), 10);
  return {
    select: () => void tf.setBackend(backend),
    step: () => tf.tidy(() => void opt.minimize(() => tf.neg(tf.mean(tf.sum(tf.mul(logProbs(), y), 1))) as tf.Scalar)),
  };
}

/** A variable of the given shape, uniform in +-1/sqrt(fanIn) (torch's default for Linear and Conv2d). */
function init(shape: number[], fanIn: number): tf.Variable {
  const bound = 1 / Math.sqrt(fanIn);
  return tf.variable(tf.randomUniform(shape, -bound, bound));
}

/** The benchmark MLP (784-128-ReLU-10, batch 64, SGD lr 0.01) in TensorFlow.js. */
export async function tfjsStep(backend: 'wasm' | 'cpu'): Promise<Subject> {
  await useTfjs(backend);
  const [w1, b1, w2, b2] = [init([784, 128], 784), init([128], 784), init([128, 10], 128), init([10], 128)];
  const x = tf.randomUniform([64, 784]);
  return trainingStep(backend, () => tf.logSoftmax(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2)), tf.train.sgd(0.01));
}

/**
 * pytorch/examples' mnist Net (batch 64, Adadelta lr 1.0, dropout on) in TensorFlow.js, in its
 * NHWC layout: on the CPU backend only, since the WASM backend has no Conv2DBackpropFilter.
 */
export async function tfjsCnnStep(): Promise<Subject> {
  await useTfjs('cpu');
  const conv1 = init([3, 3, 1, 32], 9);
  const bias1 = init([32], 9);
  const conv2 = init([3, 3, 32, 64], 288);
  const bias2 = init([64], 288);
  const fc1 = init([9216, 128], 9216);
  const fcBias1 = init([128], 9216);
  const fc2 = init([128, 10], 128);
  const fcBias2 = init([10], 128);
  const x = tf.randomUniform([64, 28, 28, 1]);
  const forward = () => {
    let h = tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, conv1 as tf.Tensor4D, 1, 'valid'), bias1));
    h = tf.relu(tf.add(tf.conv2d(h as tf.Tensor4D, conv2 as tf.Tensor4D, 1, 'valid'), bias2));
    h = tf.dropout(tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid'), 0.25);
    h = tf.dropout(tf.relu(tf.add(tf.matMul(tf.reshape(h, [64, 9216]), fc1), fcBias1)), 0.5);
    return tf.logSoftmax(tf.add(tf.matMul(h, fc2), fcBias2));
  };
  return trainingStep('cpu', forward, tf.train.adadelta(1, 0.9, 1e-6));
}
