import { defineConfig } from 'vitest/config';

// Node-side tests of every package. Browser (playwright) and workerd tests have their own configs under test/.
export default defineConfig({
  // Workspace packages resolve to their sources through tsconfig.base.json's paths (package exports point at dist/).
  resolve: { tsconfigPaths: true },
  test: {
    include: ['packages/*/src/**/*.test.{ts,tsx}', 'test/node/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
