import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Integration tests against the real Worker bundle running in local workerd (`wrangler dev` on 127.0.0.1).
export default defineConfig({
  // Workspace packages resolve to their sources through tsconfig.base.json's paths (package exports point at dist/).
  resolve: { tsconfigPaths: true },
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 240_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
