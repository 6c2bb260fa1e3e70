import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { version } from './index';

test('version is package.json’s', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  expect(version).toBe(pkg.version);
});

test('a second copy of @wick/core in the process refuses to load, saying why', () => {
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second load of the module is the point
    expect(() => require('./index')).toThrow(/@wick\/core 0\.2\.0 is being loaded while @wick\/core 0\.2\.0 is already loaded in this process: two copies would not share tensors/);
  });
});
