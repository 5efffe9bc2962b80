import { defineConfig } from 'vitest/config';

// In-process handler tests (Node): the real app + core runtime on onnxruntime-web's wasm backend.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
