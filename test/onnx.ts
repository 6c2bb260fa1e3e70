/**
 * Test support for the ONNX exporter (imported as '@wick/test-onnx'; its tests run in
 * ./onnxEnvironment.js): runs exported bytes in ONNX Runtime, and checks each model a test
 * exports is the very bytes scripts/golden/onnx_checker.py passed through ONNX's own checker.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { tensor, type DType, type Tensor } from '@wick/core';
import checked from '../packages/nn/golden/onnx_checker.json';

function toOrt(t: Tensor): ort.Tensor {
  const data = t.dataSync();
  switch (t.dtype) {
    case 'float32':
      return new ort.Tensor('float32', Float32Array.from(data), t.shape);
    case 'float64':
      return new ort.Tensor('float64', Float64Array.from(data), t.shape);
    case 'int64':
      return new ort.Tensor('int64', BigInt64Array.from(data, (v) => BigInt(v)), t.shape);
    case 'bool':
      return new ort.Tensor('bool', Uint8Array.from(data), t.shape);
  }
}

const DTYPE: Record<string, DType> = { float32: 'float32', float64: 'float64', int64: 'int64', bool: 'bool' };

function fromOrt(t: ort.Tensor): Tensor {
  const dtype = DTYPE[t.type];
  if (dtype === undefined) throw new Error(`ONNX Runtime returned a ${t.type} tensor, which Wick has no dtype for`);
  const values = Array.from(t.data as ArrayLike<number | bigint | boolean>, Number);
  return tensor(values, { dtype }).reshape(t.dims.map(Number));
}

/** Runs an exported model in ONNX Runtime's CPU backend; the outputs in the graph's order. */
export async function runOnnx(bytes: Uint8Array, inputs: Record<string, Tensor>): Promise<Tensor[]> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds = Object.fromEntries(Object.entries(inputs).map(([name, t]) => [name, toOrt(t)]));
    const results = await session.run(feeds);
    return session.outputNames.map((name) => fromOrt(results[name]));
  } finally {
    await session.release();
  }
}

/** The SHA-256 of exported bytes, as the checker's golden file records them. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Where scripts/golden/onnx_checker.py asks the tests to leave their models (WICK_ONNX_DIR). */
const OUT_DIR = process.env.WICK_ONNX_DIR;

/** What the checker script recorded of each model it checked. */
export interface CheckedModel {
  sha256: string;
  irVersion: number;
  opset: number;
  ops: string[];
}

/** The checker's results, read from packages/nn/golden/onnx_checker.json. */
export const checkerResults = checked as { onnx: string; models: Record<string, CheckedModel> };

/**
 * Expects `bytes` to be exactly the model `name` that ONNX's checker accepted: when the checker
 * script runs the tests (WICK_ONNX_DIR set), leaves the file for it instead.
 */
export function expectChecked(name: string, bytes: Uint8Array): void {
  if (OUT_DIR !== undefined) {
    mkdirSync(OUT_DIR, { recursive: true });
    writeFileSync(join(OUT_DIR, `${name}.onnx`), bytes);
    return;
  }
  const entry = checkerResults.models[name];
  if (entry === undefined) throw new Error(`model '${name}' is not in packages/nn/golden/onnx_checker.json: run scripts/golden/onnx_checker.py`);
  if (sha256(bytes) !== entry.sha256) {
    throw new Error(`model '${name}' differs from the bytes ONNX's checker accepted: run scripts/golden/onnx_checker.py to check the new ones`);
  }
}
