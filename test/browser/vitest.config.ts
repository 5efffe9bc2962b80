import { defineConfig } from 'vitest/config';

// Real-browser tests (playwright-core + /usr/bin/chromium). Run with:
//   npx vitest run --config test/browser/vitest.config.ts
export default defineConfig({
  // Node-side helpers load the built-in models from sources (tsconfig paths), as the Node tier does: a fresh clone has no
  // packages/*/dist.
  resolve: { tsconfigPaths: true },
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
