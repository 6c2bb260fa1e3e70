// The consumer test: Wick as a user's project gets it. Packs @wick/core and @wick/nn as `pnpm
// publish` would upload them, installs the tarballs into fresh projects outside the workspace
// with no network (npm --offline: the tarballs are all they need), and runs there
//   - a CommonJS script and an ES module script (the package READMEs' example, save() and load());
//   - a strict TypeScript project (module nodenext), type-checked and run;
//   - an esbuild bundle for browsers, which must build without a warning, without Node's modules
//     and with one copy of @wick/core, run here as an ES module;
//   - an esbuild bundle for Node as an ES module, whose save() and two threads must work.
// Run after `pnpm build` (`pnpm check:consumer` does both).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const here = join(root, 'scripts', 'consumer');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const work = mkdtempSync(join(tmpdir(), 'wick-consumer-'));

function run(command, args, cwd) {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`${[command, ...args].join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: e });
  }
}

function step(title, fn) {
  process.stdout.write(`consumer: ${title} ... `);
  const out = fn();
  console.log(`ok${out ? ` (${out})` : ''}`);
}

/** A fresh project in `work/name` with the fixture files of `fixture`, Wick installed from the tarballs. */
function project(name, fixture, tarballs) {
  const dir = join(work, name);
  mkdirSync(dir);
  cpSync(join(here, fixture), dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true, version: '1.0.0' }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs], dir);
  return dir;
}

try {
  const tarballs = [];
  step('pack both packages', () => {
    for (const pkg of ['core', 'nn']) {
      run('npx', ['-y', 'pnpm@12.4.2', 'pack', '--pack-destination', work], join(root, 'packages', pkg));
    }
    tarballs.push(...readdirSync(work).filter((f) => f.endsWith('.tgz')).map((f) => join(work, f)));
    const manifest = JSON.parse(run('tar', ['-xOzf', tarballs.find((t) => t.includes('nn')), 'package/package.json'], work));
    if (JSON.stringify(manifest).includes('workspace:')) throw new Error(`@wick/nn's packed package.json still names a workspace: version: ${JSON.stringify(manifest)}`);
    return tarballs.map((t) => t.slice(work.length + 1)).join(', ');
  });

  const node = project('node', 'node', tarballs);
  step('CommonJS script', () => run(process.execPath, ['main.cjs'], node).trim());
  step('ES module script', () => run(process.execPath, ['main.mjs'], node).trim());

  const typescript = project('typescript', 'typescript', tarballs);
  step('strict TypeScript project: type-check (nodenext)', () => run(process.execPath, [tsc, '-p', '.'], typescript).trim());
  step('strict TypeScript project: run', () => run(process.execPath, ['dist/main.js'], typescript).trim());

  step('esbuild bundle for browsers', () => {
    const result = buildQuiet({ entryPoints: [join(node, 'main.mjs')], platform: 'browser', outfile: join(node, 'browser.mjs'), absWorkingDir: node });
    const text = readFileSync(join(node, 'browser.mjs'), 'utf8');
    if (text.split('Symbol.for("@wick/core")').length !== 2) throw new Error('the browser bundle does not hold exactly one copy of @wick/core');
    // Node's modules are reached through process.getBuiltinModule only: no require or import of
    // them (the worker thread's own source, a string, requires node:worker_threads in the worker).
    for (const unwanted of [/\brequire\(\s*["']/, /__require\b/, /from\s*["']node:/, /import\(\s*["']node:/]) {
      if (unwanted.test(text)) throw new Error(`the browser bundle holds ${unwanted}`);
    }
    return `${(text.length / 1024).toFixed(0)} KB, ${result.warnings.length} warnings; ${run(process.execPath, ['browser.mjs', '--no-files'], node).trim()}`;
  });

  step('esbuild bundle for Node as an ES module: save() and threads', () => {
    buildQuiet({ entryPoints: [join(node, 'main.mjs')], platform: 'node', outfile: join(node, 'node-bundle.mjs'), absWorkingDir: node });
    return run(process.execPath, ['node-bundle.mjs', '--threads'], node).trim();
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** An ES module bundle; a warning fails the test. */
function buildQuiet(options) {
  const result = buildSync({ bundle: true, format: 'esm', logLevel: 'silent', ...options });
  if (result.warnings.length > 0) throw new Error(`esbuild warned: ${result.warnings.map((w) => w.text).join('; ')}`);
  return result;
}
