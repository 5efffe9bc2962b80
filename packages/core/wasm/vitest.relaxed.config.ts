// Runs the engine's tests with relaxed SIMD enabled (Node 20 needs the V8 flag):
//   npx vitest run -c packages/core/wasm/vitest.relaxed.config.ts
import { defineConfig } from 'vitest/config';
import base from '../../../vitest.config.js';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    // Replaces (not extends) the root include list: only the engine's own tests.
    include: [
      'packages/core/src/engine/**/*.test.ts',
      'packages/core/src/backends/wasm/**/*.test.ts',
      'test/node/onnx-conformance.test.ts',
    ],
    execArgv: ['--experimental-wasm-relaxed-simd'],
  },
});
