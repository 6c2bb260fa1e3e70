/**
 * Op-level tracing, as torch.jit.trace records aten ops: while trace() runs a function, every
 * public op called from outside another op is reported once, with its arguments as passed and
 * its result, so an exporter can rebuild the computation (the ONNX exporter does). Ops that an
 * op calls inside itself are its implementation and are not reported.
 */

/** One op call seen by trace(). */
export interface TracedCall {
  /** The op's public name (`conv2d`, `add`), a Function's class name, or an in-place method (`add_`). */
  readonly op: string;
  /** The arguments as the caller passed them (an in-place method's tensor first). */
  readonly args: readonly unknown[];
  /** What the op returned: a tensor, or an array of them. */
  readonly output: unknown;
}

let recorder: ((call: TracedCall) => void) | null = null;
let depth = 0;

/**
 * Runs fn and reports each op it calls to `record`, in call order. Only one trace runs at a time;
 * fn's result is returned.
 */
export function trace<R>(fn: () => R, record: (call: TracedCall) => void): R {
  if (recorder !== null) throw new Error('trace: a trace is already running; traces do not nest');
  recorder = record;
  try {
    return fn();
  } finally {
    recorder = null;
    depth = 0;
  }
}

/** Runs an op's implementation, reporting it when a trace runs and no other op called it. */
function run(op: string, args: readonly unknown[], body: () => unknown): unknown {
  const record = recorder;
  if (record === null || depth > 0) return body();
  depth++;
  let output: unknown;
  try {
    output = body();
  } finally {
    depth--;
  }
  record({ op, args, output });
  return output;
}

/** fn as a public op named `op` that trace() reports; the same function when nothing traces. */
export function traced<F extends (...args: never[]) => unknown>(op: string, fn: F): F {
  const call = (...args: Parameters<F>) => (recorder === null ? fn(...args) : run(op, args, () => fn(...args)));
  return call as F;
}

/**
 * Runs `body` as one op named `op` with these arguments: a Function's forward (under its class
 * name), an in-place method (add_; its tensor first) or a method that makes a view (detach).
 */
export function traceCall<R>(op: string, args: readonly unknown[], body: () => R): R {
  return (recorder === null ? body() : run(op, args, body)) as R;
}
