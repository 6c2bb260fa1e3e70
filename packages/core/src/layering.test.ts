import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The architecture is enforced by lint (eslint.config.mjs). These fixtures break each rule on
 * purpose; linting them with ignores off must report exactly those breaks (`pnpm lint` shows
 * the tree itself passes).
 */
const root = join(__dirname, '..', '..', '..');

interface Message {
  ruleId: string;
  message: string;
}

function lintFixtures(): Map<string, Message[]> {
  const eslint = join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const run = spawnSync(process.execPath, [eslint, '--no-ignore', '--format', 'json', 'scripts/lint-fixtures'], { cwd: root, encoding: 'utf8' });
  const results = JSON.parse(run.stdout) as { filePath: string; messages: Message[] }[];
  return new Map(results.map((r) => [r.filePath.slice(r.filePath.indexOf('lint-fixtures/') + 'lint-fixtures/'.length), r.messages]));
}

describe('lint checks the layering', () => {
  const found = lintFixtures();
  const rules = (file: string) => (found.get(file) ?? []).map((m) => m.ruleId);

  test('an import cycle fails', () => {
    expect(rules('cycle/a.ts')).toEqual(['import-x/no-cycle']);
  });

  test('a kernel importing a tensor fails', () => {
    expect(rules('packages/core/src/backend/cpu/usesTensor.ts')).toEqual(['no-restricted-imports']);
    expect(found.get('packages/core/src/backend/cpu/usesTensor.ts')?.[0].message).toContain('backend/ holds kernels over typed arrays');
  });

  test('nn reaching for kernels, core sources or @internal members fails', () => {
    const messages = found.get('packages/nn/src/usesInternals.ts') ?? [];
    expect(messages.filter((m) => m.message.includes("'kernels' import from '@wick/core' is restricted"))).toHaveLength(1);
    expect(messages.filter((m) => m.message.includes("'@wick/core/src/ops/util' import is restricted"))).toHaveLength(2);
    // x.strided() twice and out.storage.
    expect(messages.filter((m) => m.ruleId === 'no-restricted-syntax')).toHaveLength(3);
  });
});
