/** Default worker factory for bundlers that understand `new Worker(new URL(..., import.meta.url))` (Vite, webpack 5). */
import type { WorkerLike } from './protocol.js';

/**
 * Starts the bundled inference worker next to this module. With a bundler that does not rewrite the
 * pattern (esbuild), build `worker-entry.ts` yourself and use {@link moduleWorkerFactory} instead.
 *
 * @example
 * ```ts
 * const store = getModelStore({ model: 'fmnist-resnet20', createWorker: createDefaultWorker });
 * ```
 */
export function createDefaultWorker(): WorkerLike {
  return new Worker(new URL('./worker-entry.js', import.meta.url), { type: 'module', name: 'resnet-edge' });
}

/**
 * A factory for a module worker served at `url`.
 *
 * @example
 * ```ts
 * const createWorker = moduleWorkerFactory({ url: '/resnet-edge-worker.js' });
 * ```
 */
export function moduleWorkerFactory(options: { url: string | URL }): () => WorkerLike {
  const { url } = options;
  return () => new Worker(url, { type: 'module', name: 'resnet-edge' });
}
