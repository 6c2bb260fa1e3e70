/** Tests run from the TypeScript sources: no build needed. Type-checking is `pnpm typecheck`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/examples'],
  testMatch: ['**/src/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
  },
  moduleNameMapper: {
    '^@wick/core$': '<rootDir>/packages/core/src/index.ts',
    '^@wick/core/testing$': '<rootDir>/packages/core/src/testing/index.ts',
    '^@wick/nn$': '<rootDir>/packages/nn/src/index.ts',
    '^@wick/test-harness$': '<rootDir>/test/harness.ts',
    '^@wick/test-onnx$': '<rootDir>/test/onnx.ts',
  },
};
