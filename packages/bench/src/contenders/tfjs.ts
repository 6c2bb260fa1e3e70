import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { dirname, join } from 'node:path';
import type { Subject } from '../timing';

/** TensorFlow.js on its WASM backend (XNNPACK, SIMD), or its pure-JS CPU backend. */
export async function tfjsStep(backend: 'wasm' | 'cpu'): Promise<Subject> {
  if (backend === 'wasm') setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '..', 'dist')}/`);
  await tf.setBackend(backend);
  await tf.ready();
  const w1 = tf.variable(tf.randomUniform([784, 128], -1 / 28, 1 / 28));
  const b1 = tf.variable(tf.zeros([128]));
  const w2 = tf.variable(tf.randomUniform([128, 10], -1 / Math.sqrt(128), 1 / Math.sqrt(128)));
  const b2 = tf.variable(tf.zeros([10]));
  const x = tf.randomUniform([64, 784]);
  const y = tf.oneHot(tf.randomUniform([64], 0, 10, 'int32'), 10);
  const opt = tf.train.sgd(0.01);
  return {
    select: () => void tf.setBackend(backend),
    step: () =>
      tf.tidy(() => {
        opt.minimize(() => {
          const h = tf.relu(tf.add(tf.matMul(x, w1), b1));
          const logp = tf.logSoftmax(tf.add(tf.matMul(h, w2), b2));
          return tf.neg(tf.mean(tf.sum(tf.mul(logp, y), 1))) as tf.Scalar;
        });
      }),
  };
}
