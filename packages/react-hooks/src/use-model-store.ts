/** Internal: the shared store for a model, acquired for the lifetime of the calling component. */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import {
  getModelStore,
  IDLE_MODEL_SNAPSHOT,
  type ModelSnapshot,
  type ModelStore,
  type SharedModelOptions,
} from './core-web-worker.js';
import { useResNetConfig } from './context.js';

/** Which model to run and where. */
export interface ModelSelection {
  /** Built-in id, URL of a model.json, or an in-memory `{ manifest, bytes }` (keep it referentially stable). */
  model?: SharedModelOptions['model'];
  backend?: SharedModelOptions['backend'];
}

const noopSubscribe = () => () => {};
const idle = () => IDLE_MODEL_SNAPSHOT;
// No worker on the server: stores are only created in a browser-like environment.
const isServer = () => typeof window === 'undefined';

export function useModelStore(selection: ModelSelection, defaultModel: string): { store: ModelStore | null; snapshot: ModelSnapshot } {
  const config = useResNetConfig();
  const model = selection.model ?? defaultModel;
  const modelKey = typeof model === 'string' || model instanceof URL ? String(model) : model;
  const store = useMemo(
    () =>
      isServer()
        ? null
        : getModelStore({
            model: modelKey,
            createWorker: config.createWorker,
            ...(selection.backend ? { backend: selection.backend } : {}),
            ...(config.modelBaseUrl !== undefined ? { modelBaseUrl: config.modelBaseUrl } : {}),
            ...(config.cache !== undefined ? { cache: config.cache } : {}),
            ...(config.releaseDelayMs !== undefined ? { releaseDelayMs: config.releaseDelayMs } : {}),
          }),
    [modelKey, selection.backend, config],
  );
  const snapshot = useSyncExternalStore(store?.subscribe ?? noopSubscribe, store?.getSnapshot ?? idle, idle);
  useEffect(() => store?.acquire(), [store]);
  return { store, snapshot };
}
