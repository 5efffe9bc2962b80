import { defineConfig } from 'vitest/config';

// In-process handler tests (Node): the real app + core runtime on onnxruntime-web's wasm backend.
export default defineConfig({
  // Workspace packages resolve to their sources through tsconfig.base.json's paths (package exports point at dist/).
  resolve: { tsconfigPaths: true },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
