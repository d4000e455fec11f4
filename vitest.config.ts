import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['apps/*/src/**/*.test.ts', 'packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Conformance tests start servers and run the real AWS CLI (a Python process per call).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
