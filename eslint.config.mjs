import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // packages/core/assembly is AssemblyScript, compiled by scripts/build-wasm.mjs, not TypeScript.
  { ignores: ['**/dist/**', '**/node_modules/**', 'runs/**', 'jest.config.js', 'packages/core/assembly/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Plain CommonJS scripts run by node against the built packages.
    files: ['scripts/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', __dirname: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
  },
);
