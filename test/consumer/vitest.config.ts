import { defineConfig } from 'vitest/config';

// Consumer tier: the packages as npm publishes them, installed into apps outside the workspace. Run with:
//   npx vitest run --config test/consumer/vitest.config.ts
// globalSetup builds and packs every package and installs the tarballs into the app (setup.ts).
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/consumer/**/*.test.ts'],
    globalSetup: ['test/consumer/setup.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
