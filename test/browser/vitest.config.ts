import { defineConfig } from 'vitest/config';

// Real-browser tests (playwright-core + /usr/bin/chromium). Run with:
//   npx vitest run --config test/browser/vitest.config.ts
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/browser/**/*.test.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
