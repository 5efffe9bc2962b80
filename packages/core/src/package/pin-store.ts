/**
 * Pins: the sha256 of a file as first downloaded, by URL. Sources that declare no sha256 (a Hugging Face folder, a
 * bare `.onnx` URL) are trusted on first use and verified on every later load: a file that changes under the same URL
 * is `INTEGRITY_MISMATCH`, never silently a different model. Where Cache Storage exists (browsers, workerd) pins
 * persist in it; elsewhere (Node) they last for the process unless a store is passed (`load({ pins })`).
 */

/** Where pins are kept. */
export interface PinStore {
  get(url: string): Promise<string | undefined>;
  set(url: string, sha256: string): Promise<void>;
  delete(url: string): Promise<void>;
}

/** Cache Storage bucket that holds pins (apart from the models, so clearing the model cache keeps them). */
export const DEFAULT_PIN_CACHE = 'resnet-edge-pins-v1';

/**
 * A pin store in memory (a `Map`); the default in Node, shared by every load in the process.
 *
 * @example
 * ```ts
 * const pins = createMemoryPinStore();
 * await load({ model: 'https://example.com/resnet.onnx', labels, preprocess: 'imagenet', pins });
 * ```
 */
export function createMemoryPinStore(initial?: Record<string, string>): PinStore {
  const map = new Map(Object.entries(initial ?? {}));
  return {
    async get(url) {
      return map.get(url);
    },
    async set(url, sha256) {
      map.set(url, sha256);
    },
    async delete(url) {
      map.delete(url);
    },
  };
}

/** Cache keys must be http(s) URLs; pins live under one that never resolves. */
const pinKey = (url: string) => `https://pins.resnet-edge.invalid/?url=${encodeURIComponent(url)}`;

/**
 * A pin store in Cache Storage (survives page reloads); the default wherever `caches` exists.
 *
 * @example
 * ```ts
 * const pins = createCachePinStore({ caches: globalThis.caches });
 * ```
 */
export function createCachePinStore(o: { caches: CacheStorage; cacheName?: string }): PinStore {
  let open: Promise<Cache> | undefined;
  const cache = () => (open ??= o.caches.open(o.cacheName ?? DEFAULT_PIN_CACHE));
  return {
    async get(url) {
      const hit = await (await cache()).match(pinKey(url));
      if (!hit) return undefined;
      const text = (await hit.text()).trim();
      return /^[0-9a-f]{64}$/.test(text) ? text : undefined;
    },
    async set(url, sha256) {
      await (await cache()).put(pinKey(url), new Response(sha256, { headers: { 'content-type': 'text/plain' } }));
    },
    async delete(url) {
      await (await cache()).delete(pinKey(url));
    },
  };
}

const processPins = createMemoryPinStore();

/**
 * The store `load()` uses when none is passed: Cache Storage where it exists, else one in-memory store per process.
 *
 * @example
 * ```ts
 * await defaultPinStore().delete('https://example.com/resnet.onnx'); // accept a changed file on the next load
 * ```
 */
export function defaultPinStore(): PinStore {
  const caches = (globalThis as { caches?: CacheStorage }).caches;
  return caches && typeof caches.open === 'function' ? createCachePinStore({ caches }) : processPins;
}
