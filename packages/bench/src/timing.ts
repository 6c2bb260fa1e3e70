/** Median wall time in ms of fn over `runs` runs after `warmup` untimed ones. */
export function medianMs(fn: () => void, runs: number, warmup = 3): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

/** Takes one timing sample (ms), perhaps from another process. */
export type Sampler = () => number | Promise<number>;

/** A system under test in this process: select() puts its settings in force, step() times one step. */
export interface Subject {
  select(): void;
  step(): void;
}

/** Samples a subject: selects it (outside the timing), then the median ms of `runs` steps. */
export function sampleSubject(subject: Subject, runs: number, warmup: number): Sampler {
  return () => {
    subject.select();
    return medianMs(subject.step, runs, warmup);
  };
}

/**
 * Samples several contenders interleaved (a round of each, repeated), so drift in machine load
 * hits all of them alike; returns each one's median in ms, in the contenders' order.
 */
export async function interleaved(contenders: Record<string, Sampler>, rounds: number): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, sample] of Object.entries(contenders)) samples[name].push(await sample());
  }
  return Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, median(s)]));
}
