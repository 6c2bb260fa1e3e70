/** Median wall time in ms of fn over `runs` runs after `warmup` untimed ones. */
export function medianMs(fn: () => void, runs: number, warmup = 3): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * Times several contenders interleaved (a round of each, repeated), so drift in machine load
 * hits all of them alike; returns each one's median in ms.
 */
export function interleaved(contenders: Record<string, () => void>, rounds: number, runsPerRound: number): Record<string, number> {
  const samples: Record<string, number[]> = {};
  for (const name of Object.keys(contenders)) {
    contenders[name]();
    samples[name] = [];
  }
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(contenders)) samples[name].push(medianMs(fn, runsPerRound, 1));
  }
  const out: Record<string, number> = {};
  for (const [name, s] of Object.entries(samples)) out[name] = s.sort((a, b) => a - b)[Math.floor(s.length / 2)];
  return out;
}
