/**
 * The object exposed inside the worker. It owns one model, runs requests one at a time (FIFO), and
 * drops requests cancelled while queued so stale work never reaches the backend.
 */
import { releaseProxy } from 'comlink';
import { ResNetEdgeError, throwIfAborted } from '../errors.js';
import { createCachingFetch, DEFAULT_MODEL_CACHE } from '../package/cache-storage.js';
import type {
  LoadProgress,
  RuntimeLoad,
  RuntimeModel,
  WorkerApi,
  WorkerClassifyRequest,
  WorkerDetectRequest,
  WorkerLoadOptions,
  WorkerModelInfo,
  WorkerResult,
} from './protocol.js';
import { pickSourceOptions } from './source-options.js';

export interface CreateWorkerApiOptions {
  /** core's `load` (injected so the API is testable without a real model). */
  load: RuntimeLoad;
  /** Minimum interval between progress callbacks, ms. Default 50 (each one is a message). */
  progressIntervalMs?: number;
}

/**
 * Builds the worker-side API around a model loader.
 *
 * @example
 * ```ts
 * import { expose } from 'comlink';
 * expose(createWorkerApi({ load }));
 * ```
 */
export function createWorkerApi(options: CreateWorkerApiOptions): WorkerApi {
  const interval = options.progressIntervalMs ?? 50;
  let model: RuntimeModel | undefined;
  let loading: Promise<WorkerModelInfo> | undefined;
  let disposed = false;
  const controllers = new Map<number, AbortController>();
  let queue: Promise<unknown> = Promise.resolve();

  function checkId(id: unknown): number {
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
      throw new ResNetEdgeError('INVALID_ARGUMENT', 'Request id must be a safe integer.');
    }
    if (controllers.has(id)) throw new ResNetEdgeError('INVALID_ARGUMENT', `Request id ${id} is already in use.`);
    return id;
  }

  function enqueue<T>(id: number, run: (m: RuntimeModel, signal: AbortSignal) => Promise<T>): Promise<WorkerResult<T>> {
    const controller = new AbortController();
    controllers.set(checkId(id), controller);
    const job = queue.then(async () => {
      throwIfAborted(controller.signal);
      if (disposed) throw new ResNetEdgeError('DISPOSED', 'The model was disposed.');
      if (!model) {
        if (!loading) throw new ResNetEdgeError('INVALID_ARGUMENT', 'load() must be called before inference.');
        await loading;
      }
      const started = performance.now();
      const result = await run(model!, controller.signal);
      throwIfAborted(controller.signal);
      return { result, inferenceMs: performance.now() - started };
    });
    queue = job.catch(() => {});
    return job.finally(() => controllers.delete(id));
  }

  const api: WorkerApi = {
    load(loadOptions: WorkerLoadOptions, onProgress?: (p: LoadProgress) => void): Promise<WorkerModelInfo> {
      if (disposed) return Promise.reject(new ResNetEdgeError('DISPOSED', 'The model was disposed.'));
      if (loading) return loading;
      let cacheHits = 0;
      const cacheName = loadOptions.cache === undefined ? DEFAULT_MODEL_CACHE : loadOptions.cache;
      const fetchFn =
        cacheName === false
          ? undefined
          : createCachingFetch({ cacheName, onEvent: (e) => void (e.type === 'hit' && cacheHits++) });
      let last = 0;
      const progress = onProgress
        ? (p: LoadProgress) => {
            const now = performance.now();
            // Throttled, but the final callback (loaded === total) always goes through.
            if (now - last < interval && p.loaded !== p.total) return;
            last = now;
            onProgress({ loaded: p.loaded, total: p.total });
          }
        : undefined;
      const { preset, ...source } = pickSourceOptions(loadOptions);
      // load() takes a manifest-less model's preset inside `preprocess`.
      const preprocess = preset ? { ...loadOptions.preprocess, preset } : loadOptions.preprocess;
      loading = options
        .load({
          model: loadOptions.model,
          ...source,
          ...(loadOptions.backend ? { backend: loadOptions.backend } : {}),
          ...(loadOptions.modelBaseUrl ? { modelBaseUrl: loadOptions.modelBaseUrl } : {}),
          ...(fetchFn ? { fetch: fetchFn } : {}),
          ...(progress ? { onProgress: progress } : {}),
          ...(preprocess ? { preprocess } : {}),
        })
        .then(async (m) => {
          if (disposed) {
            await m.dispose();
            throw new ResNetEdgeError('DISPOSED', 'The model was disposed while loading.');
          }
          model = m;
          return { backend: m.backend, manifest: m.manifest, cacheHits };
        });
      loading.then(
        () => releaseRemote(onProgress),
        () => releaseRemote(onProgress),
      );
      return loading;
    },
    classify(request: WorkerClassifyRequest) {
      return enqueue(request?.id, (m, signal) =>
        m.classify(request.image, {
          ...(request.topK !== undefined ? { topK: request.topK } : {}),
          ...(request.preprocess ? { preprocess: request.preprocess } : {}),
          signal,
        }),
      );
    },
    detect(request: WorkerDetectRequest) {
      const { image, id: _id, ...opts } = request ?? ({} as WorkerDetectRequest);
      return enqueue(request?.id, (m, signal) => m.detect(image, { ...opts, signal }));
    },
    cancel(id: number) {
      controllers.get(id)?.abort();
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      for (const c of controllers.values()) c.abort();
      const m = model ?? (await loading?.then(() => model).catch(() => undefined));
      model = undefined;
      await m?.dispose();
    },
  };
  return api;
}

// A progress callback that came through comlink is a proxy holding a MessagePort open; let it go.
function releaseRemote(fn: unknown): void {
  const release = (fn as { [releaseProxy]?: () => void } | undefined)?.[releaseProxy];
  if (typeof release === 'function') release.call(fn);
}
