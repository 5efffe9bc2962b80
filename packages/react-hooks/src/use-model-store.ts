/** Internal: the shared store for a model, acquired for the lifetime of the calling component. */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import {
  getModelStore,
  IDLE_MODEL_SNAPSHOT,
  type ImagePreprocessOptions,
  type ModelSnapshot,
  type ModelStore,
  pickSourceOptions,
  type SharedModelOptions,
  type WorkerSourceFields,
  type WorkerSourceOptions,
} from './core-web-worker.js';
import { useResNetConfig } from './context.js';

/**
 * Which model to run and where; for models without a manifest (a Hugging Face folder, an ONNX URL) also `dtype`,
 * `labels`, `preset`, `input`, `detection`, `sha256`, `pins: false`, as `load()` takes them; `numThreads` in the worker.
 */
export interface ModelSelection extends WorkerSourceOptions {
  numThreads?: number;
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
  // Content-keyed, so inline literals (labels arrays, input objects) do not make a new store on every render.
  const sourceKey = JSON.stringify(pickSourceOptions(selection));
  const store = useMemo(
    () =>
      isServer()
        ? null
        : getModelStore({
            model: modelKey,
            ...(JSON.parse(sourceKey) as WorkerSourceFields),
            createWorker: config.createWorker,
            ...(selection.backend ? { backend: selection.backend } : {}),
            ...(config.modelBaseUrl !== undefined ? { modelBaseUrl: config.modelBaseUrl } : {}),
            ...(config.cache !== undefined ? { cache: config.cache } : {}),
            ...(config.releaseDelayMs !== undefined ? { releaseDelayMs: config.releaseDelayMs } : {}),
          }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [modelKey, selection.backend, config, sourceKey],
  );
  const snapshot = useSyncExternalStore(store?.subscribe ?? noopSubscribe, store?.getSnapshot ?? idle, idle);
  useEffect(() => store?.acquire(), [store]);
  return { store, snapshot };
}

/**
 * `preprocess` with an identity that changes only with its contents, so an inline object literal in a component
 * neither restarts a query nor changes `classify`'s identity on every render.
 */
export function useStablePreprocess(preprocess: ImagePreprocessOptions | undefined): ImagePreprocessOptions | undefined {
  const key = preprocess === undefined ? '' : JSON.stringify(preprocess);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => preprocess, [key]);
}

/** The hook's image settings under the call's (field by field, the call wins). */
export function mergePreprocess(base: ImagePreprocessOptions | undefined, call: ImagePreprocessOptions | undefined): ImagePreprocessOptions | undefined {
  return base && call ? { ...base, ...call } : (call ?? base);
}
