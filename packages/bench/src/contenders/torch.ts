import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const PYTHON = '/usr/bin/python3';

/** PyTorch in a child process (python/torch_step.py) on a given number of threads, driven line by line. */
export class TorchStep {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly lines: AsyncIterator<string>,
    readonly version: string,
  ) {}

  /** Starts PyTorch on the model's step ('mlp' or 'cnn'), or returns null where /usr/bin/python3 has no torch. */
  static async start(threads: number, model: 'mlp' | 'cnn' = 'mlp'): Promise<TorchStep | null> {
    if (!existsSync(PYTHON)) return null;
    const child = spawn(PYTHON, [join(__dirname, '..', '..', 'python', 'torch_step.py'), String(threads), model], {
      env: { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) },
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done) return null;
    return new TorchStep(child, lines, (JSON.parse(first.value) as { ready: string }).ready);
  }

  /** The median ms of n steps, measured inside Python. */
  async medianMs(n: number): Promise<number> {
    this.child.stdin.write(`step ${n}\n`);
    const line = await this.lines.next();
    return (JSON.parse(line.value as string) as { ms: number }).ms;
  }

  stop(): void {
    this.child.stdin.end('quit\n');
  }
}
