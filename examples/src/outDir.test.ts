import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareOutDir } from './outDir';

describe('the run directory is checked before training', () => {
  const base = mkdtempSync(join(tmpdir(), 'out-'));

  test('created when missing (parents too); an empty one is fine', () => {
    prepareOutDir(join(base, 'a', 'b'), false);
    prepareOutDir(join(base, 'a', 'b'), false);
  });

  test('a file, a path under a file, /proc and an existing run are refused, naming the path', () => {
    const file = join(base, 'file');
    writeFileSync(file, 'x');
    expect(() => prepareOutDir(file, false)).toThrow(`--out ${file}: is a file, not a directory`);
    expect(() => prepareOutDir(join(file, 'run'), false)).toThrow(`--out ${join(file, 'run')}: cannot be created (ENOTDIR)`);
    expect(() => prepareOutDir('/proc/wick-run', false)).toThrow('--out /proc/wick-run: cannot be created');
    const run = join(base, 'run');
    prepareOutDir(run, false);
    writeFileSync(join(run, 'model.safetensors'), 'x');
    expect(() => prepareOutDir(run, false)).toThrow(`--out ${run}: already holds files (model.safetensors); pass --overwrite to replace them`);
    prepareOutDir(run, true);
  });

  test('a directory that cannot be written is refused', () => {
    if (process.getuid?.() === 0) {
      console.log('skipped: running as root, which can write to read-only directories');
      return;
    }
    const ro = join(base, 'ro');
    prepareOutDir(ro, false);
    chmodSync(ro, 0o500);
    expect(() => prepareOutDir(ro, false)).toThrow(`--out ${ro}: is not writable`);
  });
});
