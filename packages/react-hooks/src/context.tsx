/** App-wide configuration of the hooks: how to start the worker and where models live. */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { createDefaultWorker, moduleWorkerFactory, type WorkerLike } from './core-web-worker.js';

export interface ResNetConfig {
  /** Starts the inference worker. Wins over `workerUrl`. */
  createWorker?: () => WorkerLike;
  /** URL of the bundled worker script (`@resnet-edge/core/web-worker/worker-entry`), started as a module worker. */
  workerUrl?: string | URL;
  /** Where built-in model ids are served from, e.g. `/models/`. */
  modelBaseUrl?: string | URL;
  /** Cache Storage bucket for model files, or `false` to always download. */
  cache?: string | false;
  /** Delay before an unused worker is terminated, ms (default 0). */
  releaseDelayMs?: number;
}

export interface ResolvedConfig {
  createWorker: () => WorkerLike;
  modelBaseUrl?: string | URL;
  cache?: string | false;
  releaseDelayMs?: number;
}

const DEFAULT: ResolvedConfig = { createWorker: createDefaultWorker };
const ResNetContext = createContext<ResolvedConfig>(DEFAULT);

/**
 * Configures every resnet-edge hook below it.
 *
 * @example
 * ```tsx
 * <ResNetProvider config={{ workerUrl: '/resnet-edge-worker.js', modelBaseUrl: '/models/' }}>
 *   <App />
 * </ResNetProvider>
 * ```
 */
export function ResNetProvider(props: { config: ResNetConfig; children?: ReactNode }): ReactNode {
  const { createWorker, workerUrl, modelBaseUrl, cache, releaseDelayMs } = props.config;
  const urlKey = workerUrl === undefined ? undefined : String(workerUrl);
  // The factory's identity is part of the worker-sharing key, so keep it stable across renders.
  const value = useMemo<ResolvedConfig>(
    () => ({
      createWorker: createWorker ?? (urlKey !== undefined ? moduleWorkerFactory({ url: urlKey }) : createDefaultWorker),
      ...(modelBaseUrl !== undefined ? { modelBaseUrl } : {}),
      ...(cache !== undefined ? { cache } : {}),
      ...(releaseDelayMs !== undefined ? { releaseDelayMs } : {}),
    }),
    [createWorker, urlKey, modelBaseUrl === undefined ? undefined : String(modelBaseUrl), cache, releaseDelayMs],
  );
  return <ResNetContext.Provider value={value}>{props.children}</ResNetContext.Provider>;
}

/** The configuration in effect (internal to the hooks). */
export function useResNetConfig(): ResolvedConfig {
  return useContext(ResNetContext);
}
