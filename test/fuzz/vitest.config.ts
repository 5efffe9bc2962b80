import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The fuzz tier (npm test runs it after the Node tier): the seeded corpus in child processes with time and memory
// limits. `npm run test:fuzz`; reproduce one case with `npx tsx test/fuzz/run.ts --only <id>`.
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['**/*.test.ts'],
    environment: 'node',
    testTimeout: 900_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
