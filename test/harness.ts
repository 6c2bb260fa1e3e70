/**
 * The one test harness every suite uses (imported as '@wick/test-harness'):
 * - describeEachBackend runs a block once per backend this platform has (the plain kernels and,
 *   where WebAssembly SIMD works, the wasm ones), with that backend active;
 * - testOp checks an op, OpInfo-style, from one record: its golden cases from PyTorch (outputs and
 *   input gradients), gradcheck in float64, and agreement of the active backend with the plain one.
 */
import { availableBackends, getBackend, gradcheck, useBackend, type Tensor } from '@wick/core';
import * as testing from '@wick/core/testing';

/** Runs `body` inside a describe block per available backend, each with that backend active. */
export function describeEachBackend(title: string, body: (backend: string) => void): void {
  describe.each(availableBackends())(`${title} (%s backend)`, (backend) => {
    let previous = 'cpu';
    beforeAll(() => {
      previous = getBackend();
      useBackend(backend);
    });
    afterAll(() => useBackend(previous));
    body(backend);
  });
}

/** `fn` run with the plain backend active, whatever is active now. */
export function onPlainBackend<T>(fn: () => T): T {
  const active = getBackend();
  useBackend('cpu');
  try {
    return fn();
  } finally {
    useBackend(active);
  }
}

/** A case written by a script in scripts/golden: inputs, keyword arguments, output and gradients. */
export interface GoldenCase {
  name: string;
  inputs: testing.EncodedTensor[];
  kw: Record<string, unknown>;
  output: testing.EncodedTensor;
  upstream: testing.EncodedTensor;
  grads: (testing.EncodedTensor | null)[];
}

/** What testOp needs to know of an op. */
export interface OpInfo<C extends GoldenCase = GoldenCase> {
  /** The golden cases, from PyTorch. */
  cases: readonly C[];
  /** The op written with Wick, as the golden script calls it with torch. */
  run: (inputs: Tensor[], c: C) => Tensor;
  /** Tolerances of the float32 comparison with PyTorch (float64 cases use 1e-10 relative). */
  tol?: testing.CloseOptions;
  /** gradcheck's options for a case, or false for a case with no finite differences to check. */
  gradcheck?: (c: C) => { eps?: number; atol?: number; rtol?: number } | false;
}

const FLOAT32 = { rtol: 1e-5, atol: 1e-6 };
const FLOAT64 = { rtol: 1e-10, atol: 1e-12 };

/** The golden, gradcheck and plain-backend agreement tests of one op, for use inside describeEachBackend. */
export function testOp<C extends GoldenCase>(title: string, info: OpInfo<C>): void {
  const named = info.cases.map((c) => [c.name, c] as const);
  const decode = (c: C) => c.inputs.map((e) => testing.decodeTensor(e));

  describe(`${title} matches PyTorch (outputs and gradients)`, () => {
    test.each(named)('%s', (_name, c) => {
      const inputs = decode(c);
      const out = info.run(inputs, c);
      const tol = c.output.dtype === 'float64' ? FLOAT64 : (info.tol ?? FLOAT32);
      testing.assertClose(out, testing.decodeTensor(c.output), { ...tol, equalNan: true });
      const wanted = inputs.filter((t) => t.requiresGrad);
      if (wanted.length === 0) return;
      out.backward(testing.decodeTensor(c.upstream));
      wanted.forEach((t, i) => {
        const g = c.grads[i];
        if (g === null || g === undefined) expect(t.grad).toBeNull();
        else testing.assertClose(t.grad as Tensor, testing.decodeTensor(g), tol);
      });
    });
  });

  describe(`${title} passes gradcheck in float64`, () => {
    const checked = named.filter(([, c]) => c.inputs.some((e) => e.requiresGrad) && info.gradcheck?.(c) !== false);
    test.each(checked)('%s', (_name, c) => {
      const inputs = c.inputs.map((e) => testing.decodeTensor(e, e.dtype === 'float32' ? 'float64' : e.dtype));
      const options = info.gradcheck?.(c) || {};
      const result = gradcheck((...xs) => info.run(xs, c), inputs, options);
      expect(result).toMatchObject({ passed: true });
    });
  });

  describe(`${title} on the active backend agrees with the plain one`, () => {
    test.each(named)('%s', (_name, c) => {
      const run = () => {
        const inputs = decode(c);
        const out = info.run(inputs, c);
        const wanted = inputs.filter((t) => t.requiresGrad);
        if (wanted.length > 0) out.backward(testing.decodeTensor(c.upstream));
        return [out, ...wanted.map((t) => t.grad as Tensor)];
      };
      const plain = onPlainBackend(run);
      const active = run();
      active.forEach((t, i) => testing.assertClose(t, plain[i], { ...FLOAT32, equalNan: true }));
    });
  });
}
