import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The library sources of @wick/core and @wick/nn, tests left out. */
function librarySources(): string[] {
  const packages = join(__dirname, '..', '..');
  return ['core', 'nn'].flatMap((name) => {
    const src = join(packages, name, 'src');
    return (readdirSync(src, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => join(src, f));
  });
}

describe('the library sources', () => {
  test('are found', () => {
    expect(librarySources().length).toBeGreaterThan(30);
  });

  // A literal Node built-in in require() or import makes bundlers building for browsers (esbuild,
  // webpack) fail; the libraries load Node modules lazily, by a name held in a variable.
  test('name no Node built-in in a literal require or import', () => {
    const offenders = librarySources().filter((file) =>
      /require\(\s*['"](node:)?(fs|os|path|worker_threads|child_process|crypto)['"]\s*\)|from\s+['"]node:/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
