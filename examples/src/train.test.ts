import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// pnpm train as a user runs it: the built script, brought up to date with its sources first.
const script = join(__dirname, '..', 'dist', 'train.js');

interface Exit {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs pnpm train's script; `whenPrinted` is called with the output so far, and may signal the child. */
function runTrain(args: string[], whenPrinted?: (stdout: string, kill: (signal: NodeJS.Signals) => void) => void): Promise<Exit> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      whenPrinted?.(stdout, (signal) => child.kill(signal));
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

/** metrics.json without the timings, which differ from run to run. */
function metrics(dir: string): unknown {
  const m = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as { config: { outDir: string }; epochs: { seconds: number }[] };
  return { ...m, config: { ...m.config, outDir: undefined }, epochs: m.epochs.map(({ seconds: _, ...e }) => e) };
}

describe('pnpm train stopped by a signal, then --resume', () => {
  beforeAll(() => {
    const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', join(__dirname, '..')], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`building examples failed:\n${build.stdout}${build.stderr}`);
  }, 120_000);

  test.each(['SIGINT', 'SIGTERM'] as const)('%s: stops after the step in progress with a checkpoint; resumed, it ends with the same weights and metrics, byte for byte', async (signal) => {
    const options = ['--epochs', '2', '--hidden', '32', '--seed', '3'];
    const whole = mkdtempSync(join(tmpdir(), 'whole-'));
    expect((await runTrain([...options, '--out', whole])).status).toBe(0);

    const stopped = mkdtempSync(join(tmpdir(), 'stopped-'));
    let sent = false;
    const first = await runTrain([...options, '--out', stopped], (stdout, kill) => {
      if (!sent && stdout.includes('epoch  1/2')) {
        sent = true;
        kill(signal);
      }
    });
    expect(first.stdout).toMatch(new RegExp(`${signal}: stopped at epoch 2, after step \\d+; wrote .*checkpoint.safetensors`));
    expect(first.status).toBe(signal === 'SIGINT' ? 130 : 143);
    expect(readdirSync(stopped)).toEqual(['checkpoint.safetensors']);

    const resumed = await runTrain(['--resume', stopped]);
    expect(resumed.stderr).toBe('');
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toMatch(/resuming at epoch 2, after step \d+/);
    expect(readFileSync(join(stopped, 'model.safetensors'))).toEqual(readFileSync(join(whole, 'model.safetensors')));
    expect(metrics(stopped)).toEqual(metrics(whole));

    const again = await runTrain(['--resume', whole]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`${whole}: this run finished all its 2 epochs; there is nothing to resume`);
  }, 60_000);

  test('a run whose loss stops being finite exits 1, says so, and writes nothing it had not finished', async () => {
    const failing = mkdtempSync(join(tmpdir(), 'failing-'));
    const diverged = await runTrain(['--epochs', '1', '--lr', '1e30', '--out', failing]);
    expect(diverged.status).toBe(1);
    expect(diverged.stderr).toMatch(/error: training stopped: the loss became (NaN|Infinity) at epoch 1, step \d+ .*; no epoch was finished, so no checkpoint was written/);
    expect(readdirSync(failing)).toEqual([]);
  }, 60_000);
});
