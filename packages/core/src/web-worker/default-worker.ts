/**
 * Worker factories. The default one uses the `new Worker(new URL('./worker-entry.js', import.meta.url))` pattern that
 * Vite (dev and build) and webpack 5 rewrite, so apps need no worker configuration; with esbuild, add
 * `@resnet-edge/core/worker-entry` as a second entry point named `worker-entry` next to the app bundle (README).
 */
import type { WorkerLike } from './protocol.js';

// Where each worker's script was requested from, for the load-failure diagnosis (worker-failure.ts).
const scriptUrls = new WeakMap<object, string>();
// Not in the `new URL('...', import.meta.url)` form bundlers rewrite: they would emit the script a second time (or warn).
const ENTRY_FILE = './worker-entry.js';
const MODULE_URL = import.meta.url;

/**
 * Starts the inference worker that ships with this package.
 *
 * @example
 * ```ts
 * const store = getModelStore({ model: 'fmnist-resnet20', createWorker: createDefaultWorker });
 * ```
 */
export function createDefaultWorker(): WorkerLike {
  const worker = new Worker(new URL('./worker-entry.js', import.meta.url), { type: 'module', name: 'resnet-edge' });
  // A bundler may have moved the script; this is where it was before bundling (reported as "tried").
  scriptUrls.set(worker, new URL(ENTRY_FILE, MODULE_URL).href);
  return worker;
}

/**
 * A factory for a module worker served at `url` (`ResNetProvider`'s `workerUrl`).
 *
 * @example
 * ```ts
 * const createWorker = moduleWorkerFactory({ url: '/resnet-edge-worker.js' });
 * ```
 */
export function moduleWorkerFactory(options: { url: string | URL }): () => WorkerLike {
  const { url } = options;
  return () => {
    const worker = new Worker(url, { type: 'module', name: 'resnet-edge' });
    scriptUrls.set(worker, new URL(String(url), globalThis.location?.href).href);
    return worker;
  };
}

/**
 * The script URL a worker made by these factories was started from (undefined for other workers).
 *
 * @example
 * ```ts
 * workerScriptUrl(createDefaultWorker()); // 'https://app.example/assets/worker-entry.js'
 * ```
 */
export function workerScriptUrl(worker: WorkerLike): string | undefined {
  return scriptUrls.get(worker);
}
