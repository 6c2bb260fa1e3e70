import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * The architecture, as lint rules (scripts/lint-fixtures and lint.test.ts show each one firing):
 * - no import cycles anywhere;
 * - core's backend/ holds kernels, loops over typed arrays: it imports nothing from tensor/,
 *   ops/ or autograd/;
 * - nn, the examples and the benchmarks use only @wick/core's (and @wick/nn's) public entries,
 *   and no member marked @internal.
 */
const KERNELS_ONLY = {
  patterns: [
    {
      group: ['**/tensor/**', '**/tensor', '**/ops/**', '**/ops', '**/autograd/**', '**/autograd'],
      message: 'backend/ holds kernels over typed arrays: it must not import tensors, ops or autograd',
    },
  ],
};

const PUBLIC_API_ONLY = {
  patterns: [
    { group: ['@wick/*/*', '!@wick/core/testing'], message: 'import the package entry (@wick/core, @wick/nn, @wick/core/testing), not a file inside it' },
    { group: ['**/core/src/**', '**/nn/src/**'], message: "import another package through its entry, not its sources" },
  ],
  paths: [
    { name: '@wick/core', importNames: ['kernels', 'cpuKernels'], message: 'kernels are core-internal: call a core op instead (or write one in @wick/core)' },
  ],
};

/** Members of core's Tensor marked @internal (stripped from its published types). */
const INTERNAL_MEMBERS = ['storage', 'strided', 'peekGrad', 'adoptGrad', 'attachHistory', 'alias', 'outputNr', 'fromStorage'];

export default tseslint.config(
  // packages/core/assembly is AssemblyScript, compiled by scripts/build-wasm.mjs, not TypeScript.
  // scripts/lint-fixtures break the rules on purpose (lint.test.ts lints them with ignores off).
  {
    ignores: ['**/dist/**', '**/node_modules/**', 'runs/**', 'docs/api/**', 'jest.config.js', 'packages/core/assembly/**', 'scripts/lint-fixtures/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.js'] })],
    },
    rules: { 'import-x/no-cycle': 'error' },
  },
  {
    files: ['packages/core/src/backend/**/*.ts', 'scripts/lint-fixtures/packages/core/src/backend/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', KERNELS_ONLY] },
  },
  {
    files: ['packages/nn/src/**/*.ts', 'packages/bench/src/**/*.ts', 'examples/src/**/*.ts', 'scripts/lint-fixtures/packages/nn/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', PUBLIC_API_ONLY],
      'no-restricted-syntax': [
        'error',
        {
          selector: `MemberExpression[property.name=/^(${INTERNAL_MEMBERS.join('|')})$/]`,
          message: "this member of core's Tensor is @internal: use the public API",
        },
      ],
    },
  },
  {
    // Plain CommonJS scripts run by node against the built packages.
    files: ['scripts/**/*.js', 'scripts/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', __dirname: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The jest environment of the ONNX Runtime tests: a CommonJS module jest loads by path.
    files: ['test/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['scripts/**/*.mjs', 'examples/web/*.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
  },
);
