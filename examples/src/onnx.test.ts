/** @jest-environment ./test/onnxEnvironment.js */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEachBackend } from '@wick/test-harness';
import { expectChecked, runOnnx } from '@wick/test-onnx';
import { manualSeed, noGrad, rand, randn } from '@wick/core';
import * as testing from '@wick/core/testing';
import { load, onnx } from '@wick/nn';
import { MLP, Net } from './model';

describeEachBackend("pytorch/examples' Net exported to ONNX", (backend) => {
  test('runs in ONNX Runtime at batch sizes 1, 7, 64 and 1000, equal to Wick within 1e-5', async () => {
    manualSeed(0);
    const model = new Net().eval();
    const bytes = onnx.exportModel(model, [randn([2, 1, 28, 28])], {
      inputNames: ['input'], outputNames: ['output'], dynamicAxes: { input: { 0: 'batch' }, output: { 0: 'batch' } },
    });
    if (backend === 'cpu') expectChecked('cnn', bytes);
    for (const n of [1, 7, 64, 1000]) {
      const x = randn([n, 1, 28, 28]);
      const [got] = await runOnnx(bytes, { input: x });
      testing.assertClose(got, noGrad(() => model.forward(x)), { rtol: 1e-5, atol: 1e-5 });
    }
  }, 60_000);
});

describe('pnpm train writes model.onnx beside model.safetensors', () => {
  const out = mkdtempSync(join(tmpdir(), 'wick-train-onnx-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('ONNX Runtime running model.onnx gives the scores of the trained weights in model.safetensors', async () => {
    const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', join(__dirname, '..')], { encoding: 'utf8' });
    expect(build.status).toBe(0);
    const run = spawnSync(process.execPath, [join(__dirname, '..', 'dist', 'train.js'), '--epochs', '1', '--hidden', '32', '--out', out], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('model.onnx');
    const model = new MLP(784, 32, 10);
    model.loadStateDict(load(join(out, 'model.safetensors')));
    model.eval();
    const x = rand([50, 784]);
    const [got] = await runOnnx(new Uint8Array(readFileSync(join(out, 'model.onnx'))), { input: x });
    testing.assertClose(got, noGrad(() => model.forward(x)), { rtol: 1e-5, atol: 1e-5 });
  }, 120_000);
});
