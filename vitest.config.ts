import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // Generous on purpose: no test waits on a timer of its own; these only end a test that hangs.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
