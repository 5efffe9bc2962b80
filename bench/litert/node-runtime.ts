/**
 * Loads LiteRT.js (`@litertjs/core`) in Node. Its loader injects the emscripten glue with a `<script>` tag unless
 * `importScripts` exists, and the glue (CommonJS, in a `"type": "module"` package) needs `require` and, for the threaded
 * build, `navigator.hardwareConcurrency` (Node 20 has no `navigator`). So: copy the glue as `.cjs` next to a link to its
 * `.wasm` (outside node_modules), define `self`, `navigator` and an `importScripts` that `require`s that copy. The
 * threaded build's pthread workers load the same `.cjs` through worker_threads. One build per thread (the module is a
 * global): the Node bench runs each build in its own worker thread.
 */
import { copyFileSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { LITERT_DIR } from './prepare.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const WASM_DIR = join(ROOT, 'node_modules/@litertjs/core/wasm');

/** `litert_wasm_internal` (relaxed SIMD), `litert_wasm_compat_internal` (SIMD128), `litert_wasm_threaded_internal`. */
export type LitertBuild = 'litert_wasm_internal' | 'litert_wasm_compat_internal' | 'litert_wasm_threaded_internal';

/**
 * Loads one LiteRT.js wasm build into this thread and returns the package's API.
 *
 * @example
 * ```ts
 * const litert = await loadLitertInNode({ build: 'litert_wasm_internal' });
 * const model = await litert.loadAndCompile(bytes, { accelerator: 'wasm', cpuOptions: { numThreads: 1 } });
 * ```
 */
export async function loadLitertInNode(o: { build: LitertBuild }): Promise<typeof import('@litertjs/core')> {
  const dir = join(LITERT_DIR, 'node-glue');
  mkdirSync(dir, { recursive: true });
  const glue = join(dir, `${o.build}.cjs`);
  copyFileSync(join(WASM_DIR, `${o.build}.js`), glue);
  if (!existsSync(join(dir, `${o.build}.wasm`))) symlinkSync(join(WASM_DIR, `${o.build}.wasm`), join(dir, `${o.build}.wasm`));
  const g = globalThis as Record<string, unknown>;
  g.self ??= globalThis;
  g.navigator ??= { hardwareConcurrency: availableParallelism() };
  const req = createRequire(glue);
  g.importScripts = () => {
    const factory = req(glue) as { default?: unknown };
    g.ModuleFactory = factory.default ?? factory;
  };
  const litert = await import('@litertjs/core');
  // A `.js` path makes the loader take the file as is (no feature probing); importScripts above ignores the URL.
  await litert.loadLiteRt(join(dir, `${o.build}.js`));
  return litert;
}
