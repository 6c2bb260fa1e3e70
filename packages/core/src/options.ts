/** The camelCase form of a snake_case name (torch's keyword names: batch_size -> batchSize). */
function camelCase(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Edit distance between two short names (insertions, deletions, substitutions). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[b.length];
}

/** The known name a mistyped one most likely meant: its camelCase form, another casing, or a near spelling. */
function suggestion(name: string, known: readonly string[]): string | null {
  const camel = camelCase(name);
  const exact = known.find((k) => k === camel || k.toLowerCase() === name.toLowerCase() || k.toLowerCase() === camel.toLowerCase());
  if (exact !== undefined) return exact;
  let best: string | null = null;
  let bestDistance = 3;
  for (const k of known) {
    const d = distance(camel.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/**
 * Refuses keys an options object does not have, as Python refuses unknown keyword arguments: a
 * habit like `{ batch_size: 64 }` would otherwise be ignored silently. The error names the key
 * and the known one it most likely meant.
 */
export function checkOptions<T extends object>(op: string, options: T | null | undefined, known: readonly (keyof T & string)[]): void {
  if (options === null || options === undefined) return;
  if (typeof options !== 'object' || Array.isArray(options)) throw new Error(`${op}: expected an options object, got ${Array.isArray(options) ? 'an array' : typeof options}`);
  for (const key of Object.keys(options)) {
    if ((known as readonly string[]).includes(key)) continue;
    const meant = suggestion(key, known);
    throw new Error(
      `${op}: unknown option '${key}'` + (meant === null ? ` (known options: ${known.join(', ')})` : `; did you mean '${meant}'?`),
    );
  }
}
