/** counts[actual][predicted] for `classes` classes. */
export function confusionMatrix(actual: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < actual.length; i++) m[actual[i]][predicted[i]]++;
  return m;
}

/** The matrix as aligned text: rows are true classes, columns predictions. */
export function formatConfusion(m: number[][]): string {
  const width = Math.max(4, ...m.flat().map((v) => String(v).length)) + 1;
  const cell = (s: string | number) => String(s).padStart(width);
  const header = `${'true\\pred'.padEnd(10)}${m.map((_, j) => cell(j)).join('')}`;
  const rows = m.map((row, i) => `${String(i).padEnd(10)}${row.map(cell).join('')}`);
  return [header, ...rows].join('\n');
}
