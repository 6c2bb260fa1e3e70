// The ES module builds, beside tsc's CommonJS ones (`pnpm build` runs both). Node loads the
// CommonJS build whichever way it is imported (the "node" export condition), so a process holds
// one copy; bundlers get these ES modules, which they can tree-shake:
//   @wick/core: dist/index.mjs, dist/index.browser.mjs (without the shared-memory kernels that
//   only Node's threads use), dist/testing/index.mjs (importing @wick/core, not a copy of it);
//   @wick/nn: dist/index.mjs, importing @wick/core.
// Each entry is one file bundled by esbuild from the TypeScript sources, with a source map that
// carries them; its types are the CommonJS build's, re-exported from a .d.mts beside it.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
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

/** The shared-memory kernels replaced by an empty module: threads start only in Node. */
const withoutSharedKernels = {
  name: 'without-shared-kernels',
  setup(b) {
    b.onLoad({ filter: /kernelsModule\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const stripped = text.replace(/(export const KERNELS_SHARED_WASM_BASE64 =)\s*'[^']*'/, "$1 ''");
      if (stripped === text) throw new Error(`${args.path}: KERNELS_SHARED_WASM_BASE64 not found`);
      return { contents: stripped, loader: 'ts' };
    });
  },
};

/** A .d.mts beside an ES module entry: its types are those of the CommonJS entry of the same name. */
function typesBeside(mjs) {
  const dts = mjs.replace(/\.mjs$/, '.d.mts');
  writeFileSync(dts, `export * from './${relative(dirname(mjs), mjs).replace(/\.mjs$/, '.js')}';\n`);
}

const outputs = [
  [{ entryPoints: [join(core, 'src/index.ts')], outfile: join(core, 'dist/index.mjs') }, true],
  [{ entryPoints: [join(core, 'src/index.ts')], outfile: join(core, 'dist/index.browser.mjs'), plugins: [withoutSharedKernels] }, false],
  [
    {
      entryPoints: [join(core, 'src/testing/index.ts')],
      outfile: join(core, 'dist/testing/index.mjs'),
      plugins: [external(join(core, 'src/index'), '@wick/core')],
    },
    true,
  ],
  [{ entryPoints: [join(nn, 'src/index.ts')], outfile: join(nn, 'dist/index.mjs'), external: ['@wick/core'] }, true],
];

for (const [options, typed] of outputs) {
  await build({ ...common, ...options });
  if (typed) typesBeside(options.outfile);
}
