// The ES module builds, beside tsc's CommonJS ones (`pnpm build` runs both). Node loads the
// CommonJS build whichever way it is imported (the "node" export condition), so a process holds
// one copy; bundlers get these ES modules, which they can tree-shake:
//   @wick/core: dist/index.mjs, and dist/testing/index.mjs (importing @wick/core, not a copy of it);
//   @wick/nn: dist/index.mjs, importing @wick/core.
// Each entry is one file bundled by esbuild from the TypeScript sources, with a source map that
// carries them; its types are the CommonJS build's, re-exported from a .d.mts beside it.
import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const core = join(root, 'packages/core');
const nn = join(root, 'packages/nn');

// ignoreAnnotations: the sources are bundled whole; package.json's sideEffects list is for the
// consumers' bundlers, and names the built files.
const common = { bundle: true, format: 'esm', platform: 'neutral', target: 'es2022', sourcemap: true, ignoreAnnotations: true, logLevel: 'warning' };

/** Resolves imports of `file` (a module inside the entry's package) to the built `target`, external. */
function external(file, target) {
  return {
    name: 'external-entry',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        const resolved = join(args.resolveDir, args.path);
        return resolved === file ? { path: target, external: true } : undefined;
      });
    },
  };
}

/** A .d.mts beside an ES module entry: its types are those of the CommonJS entry of the same name. */
function typesBeside(mjs) {
  const dts = mjs.replace(/\.mjs$/, '.d.mts');
  writeFileSync(dts, `export * from './${basename(mjs, '.mjs')}.js';\n`);
}

const outputs = [
  { entryPoints: [join(core, 'src/index.ts')], outfile: join(core, 'dist/index.mjs') },
  { entryPoints: [join(core, 'src/testing/index.ts')], outfile: join(core, 'dist/testing/index.mjs'), plugins: [external(join(core, 'src/index'), '@wick/core')] },
  { entryPoints: [join(nn, 'src/index.ts')], outfile: join(nn, 'dist/index.mjs'), external: ['@wick/core'] },
];

for (const options of outputs) {
  await build({ ...common, ...options });
  typesBeside(options.outfile);
}
