/**
 * Drawing 10 million float32 uniforms and normals: Wick's generator (torch's mt19937 and
 * transformations) against PyTorch's own, in one run. Prints median ms and the ratio.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { manualSeed, rand, randn } from '@wick/core';
import { medianMs } from './timing';

const N = 10_000_000;
const RUNS = 5;
const PYTHON = '/usr/bin/python3';

/** PyTorch's median ms for torch.rand and torch.randn of N float32 values on one thread, or null without torch. */
function torchMs(): { rand: number; randn: number } | null {
  if (!existsSync(PYTHON)) return null;
  const script = `
import json, statistics, time, torch
torch.set_num_threads(1)
torch.manual_seed(0)
def ms(f):
    for _ in range(2): f()
    t = []
    for _ in range(${RUNS}):
        s = time.perf_counter(); f(); t.append((time.perf_counter() - s) * 1000)
    return statistics.median(t)
print(json.dumps({'rand': ms(lambda: torch.rand(${N})), 'randn': ms(lambda: torch.randn(${N}))}))`;
  const run = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  return run.status === 0 ? (JSON.parse(run.stdout) as { rand: number; randn: number }) : null;
}

function main(): void {
  manualSeed(0);
  const wick = { rand: medianMs(() => rand([N]), RUNS, 2), randn: medianMs(() => randn([N]), RUNS, 2) };
  const torch = torchMs();
  console.log(`\nDrawing ${N.toLocaleString('en')} float32 values, median ms`);
  console.log('draw      Wick      PyTorch   Wick/PyTorch');
  for (const name of ['rand', 'randn'] as const) {
    const t = torch === null ? null : torch[name];
    console.log(`${name.padEnd(8)}${wick[name].toFixed(1).padStart(6)}${(t === null ? '-' : t.toFixed(1)).padStart(12)}${(t === null ? '' : `${(wick[name] / t).toFixed(2)}x`).padStart(14)}`);
  }
  if (torch === null) console.log('(PyTorch not measured: /usr/bin/python3 with torch not found)');
}

main();
