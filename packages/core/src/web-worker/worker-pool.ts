/**
 * One {@link ModelStore} (hence one worker) per model configuration, shared by every user of it.
 */
import type { BackendName } from '../backends/types.js';
import type { ModelManifest } from '../package/manifest-types.js';
import { ModelStore } from './model-store.js';
import type { WorkerLike, WorkerSourceOptions } from './protocol.js';
import { pickSourceOptions } from './source-options.js';

/** Also `load()`'s options for models without a manifest ({@link WorkerSourceOptions}) and `numThreads`. */
export interface SharedModelOptions extends WorkerSourceOptions {
  /** Built-in id, URL of a model.json (relative URLs resolve against the page), or an in-memory package. */
  model: string | URL | { manifest: ModelManifest; bytes: Uint8Array | ArrayBuffer };
  backend?: BackendName;
  modelBaseUrl?: string | URL;
  /** Cache Storage bucket, or `false` to skip caching. */
  cache?: string | false;
  /** Starts the worker that hosts the runtime. */
  createWorker: () => WorkerLike;
  releaseDelayMs?: number;
  /** WASM threads inside the worker (default 1). */
  numThreads?: number;
}


const stores = new Map<string, ModelStore>();
const objectIds = new WeakMap<object, number>();
const factoryIds = new WeakMap<object, number>();
let nextObjectId = 0;

function idOf(map: WeakMap<object, number>, o: object): number {
  let id = map.get(o);
  if (id === undefined) map.set(o, (id = ++nextObjectId));
  return id;
}

// Relative URLs must be resolved here: inside the worker they would resolve against the worker script.
function absolute(url: string | URL | undefined): string | undefined {
  if (url === undefined) return undefined;
  const base = (globalThis as { document?: { baseURI?: string } }).document?.baseURI ?? (globalThis as { location?: { href?: string } }).location?.href;
  try {
    return new URL(String(url), base).href;
  } catch {
    return String(url);
  }
}

function modelKey(model: SharedModelOptions['model']): { key: string; wire: string | { manifest: ModelManifest; bytes: Uint8Array | ArrayBuffer } } {
  if (typeof model === 'string') {
    // Built-in ids have no slash or dot-json; anything else is a URL.
    const isUrl = /[/:]|\.json$/i.test(model);
    const wire = isUrl ? absolute(model)! : model;
    return { key: 'm:' + wire, wire };
  }
  if (model instanceof URL) return { key: 'm:' + model.href, wire: model.href };
  return { key: 'o:' + idOf(objectIds, model), wire: model };
}

/**
 * Returns the shared store for these options, creating it (without starting a worker) if needed.
 * Pure enough to call during render: nothing starts until `acquire()`.
 *
 * @example
 * ```ts
 * const store = getModelStore({ model: 'fmnist-resnet20', createWorker });
 * const release = store.acquire();
 * ```
 */
export function getModelStore(options: SharedModelOptions): ModelStore {
  const { key: mKey, wire } = modelKey(options.model);
  const modelBaseUrl = absolute(options.modelBaseUrl);
  const source = pickSourceOptions(options);
  const key = [mKey, options.backend ?? 'auto', modelBaseUrl ?? '', String(options.cache ?? ''), idOf(factoryIds, options.createWorker), JSON.stringify(source)].join('|');
  let store = stores.get(key);
  if (!store) {
    store = new ModelStore({
      load: {
        model: wire,
        ...source,
        ...(options.backend ? { backend: options.backend } : {}),
        ...(modelBaseUrl ? { modelBaseUrl } : {}),
        ...(options.cache !== undefined ? { cache: options.cache } : {}),
      },
      createWorker: options.createWorker,
      ...(options.releaseDelayMs !== undefined ? { releaseDelayMs: options.releaseDelayMs } : {}),
      onTerminate: (s) => {
        if (stores.get(key) === s) stores.delete(key);
      },
      onRestart: (s) => {
        if (!stores.has(key)) stores.set(key, s);
      },
    });
    stores.set(key, store);
  }
  return store;
}

/** Number of live shared stores (for tests and diagnostics). @example activeModelStores(); // 1 */
export function activeModelStores(): number {
  return stores.size;
}
