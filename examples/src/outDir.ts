import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Makes sure the run can be written before any training: outDir is a directory (created if
 * missing), writable, and empty unless overwrite is set. Errors name the path.
 */
export function prepareOutDir(outDir: string, overwrite: boolean): void {
  if (existsSync(outDir)) {
    if (!statSync(outDir).isDirectory()) throw new Error(`--out ${outDir}: is a file, not a directory`);
    const held = readdirSync(outDir);
    if (held.length > 0 && !overwrite) {
      throw new Error(`--out ${outDir}: already holds files (${held.slice(0, 4).join(', ')}${held.length > 4 ? ', ...' : ''}); pass --overwrite to replace them, or choose another --out`);
    }
  } else {
    try {
      // Recursive only where the parent is missing too: a recursive mkdir under /proc never returns.
      mkdirSync(outDir, { recursive: !existsSync(dirname(outDir)) });
    } catch (e) {
      throw new Error(`--out ${outDir}: cannot be created (${(e as { code?: string }).code ?? (e as Error).message})`, { cause: e });
    }
  }
  const probe = join(outDir, `.wick-write-check-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (e) {
    throw new Error(`--out ${outDir}: is not writable (${(e as { code?: string }).code ?? (e as Error).message})`, { cause: e });
  }
}
