/**
 * A `fetch` wrapper that keeps model files in Cache Storage and verifies them by sha256 whenever they
 * are served from the cache. Manifests (`*.json`) go network-first (so a new model version is seen at
 * once) with the cache as an offline fallback; the files a manifest lists go cache-first, checked
 * against the manifest's sha256 (a mismatch evicts the entry and refetches). Files no manifest vouches
 * for are passed through uncached: nothing unverifiable is ever served from the cache.
 */
import { sha256Hex } from './integrity.js';

/** What happened to one request; for progress UIs and tests. */
export interface CacheEvent {
  type: 'hit' | 'miss' | 'evict' | 'store' | 'offline-manifest';
  url: string;
}

export interface CachingFetchOptions {
  /** Cache Storage bucket. Default `resnet-edge-models-v1`. */
  cacheName?: string;
  /** Network fetch to wrap. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Cache Storage to use. Default `globalThis.caches`. */
  caches?: CacheStorage;
  onEvent?: (event: CacheEvent) => void;
}

/** Default Cache Storage bucket name. */
export const DEFAULT_MODEL_CACHE = 'resnet-edge-models-v1';

/**
 * Creates the caching fetch; pass it to `load({ fetch })`. Without Cache Storage (Node, insecure
 * origins) it returns the plain network fetch.
 *
 * @example
 * ```ts
 * const model = await load({ model: 'fmnist-resnet20', fetch: createCachingFetch(), onProgress });
 * ```
 */
export function createCachingFetch(options: CachingFetchOptions = {}): typeof fetch {
  const net = options.fetch ?? globalThis.fetch.bind(globalThis);
  const storage = options.caches ?? (globalThis as { caches?: CacheStorage }).caches;
  if (!storage) return net;
  const cacheName = options.cacheName ?? DEFAULT_MODEL_CACHE;
  const emit = options.onEvent ?? (() => {});
  // Expected sha256 (lower-case hex) of every file listed by a manifest this fetch has seen, by absolute URL.
  const expected = new Map<string, string>();
  let cachePromise: Promise<Cache> | undefined;
  const open = () => (cachePromise ??= storage.open(cacheName));

  async function manifestFetch(request: Request): Promise<Response> {
    let response: Response;
    try {
      response = await net(request);
    } catch (err) {
      const cached = await (await open()).match(request.url);
      if (!cached) throw err;
      emit({ type: 'offline-manifest', url: request.url });
      const text = await cached.text();
      learnManifest(text, request.url);
      return new Response(text, { status: 200, headers: cached.headers });
    }
    if (!response.ok) return response;
    const text = await response.text();
    if (learnManifest(text, response.url || request.url)) {
      await (await open()).put(request.url, new Response(text, { headers: response.headers }));
    }
    return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
  }

  function learnManifest(text: string, baseUrl: string): boolean {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return false;
    }
    const files = (json as { files?: unknown } | null)?.files;
    if (!Array.isArray(files)) return false;
    let learned = false;
    for (const f of files as { path?: unknown; sha256?: unknown }[]) {
      if (typeof f?.path !== 'string' || typeof f.sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(f.sha256)) continue;
      try {
        expected.set(new URL(f.path, baseUrl).href, f.sha256.toLowerCase());
        learned = true;
      } catch {
        // A malformed path cannot be fetched either; the loader reports it.
      }
    }
    return learned;
  }

  async function fileFetch(request: Request, sha256: string): Promise<Response> {
    const cache = await open();
    const cached = await cache.match(request.url);
    if (cached) {
      const bytes = new Uint8Array(await cached.arrayBuffer());
      if ((await sha256Hex(bytes)) === sha256) {
        emit({ type: 'hit', url: request.url });
        const headers = new Headers(cached.headers);
        headers.set('content-length', String(bytes.byteLength));
        return new Response(bytes, { status: 200, headers });
      }
      emit({ type: 'evict', url: request.url });
      await cache.delete(request.url);
    }
    emit({ type: 'miss', url: request.url });
    const response = await net(request);
    if (response.status !== 200 || response.type === 'opaque') return response;
    // Store a copy while the caller streams the other one (its progress stays live). The store is
    // not awaited: a failed store (quota) must not fail the load.
    const copy = response.clone();
    cache.put(request.url, copy).then(
      () => emit({ type: 'store', url: request.url }),
      () => {},
    );
    return response;
  }

  return async function cachingFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init);
    if (request.method !== 'GET') return net(request);
    const url = new URL(request.url);
    if (url.pathname.endsWith('.json')) return manifestFetch(request);
    const sha = expected.get(url.href);
    return sha ? fileFetch(request, sha) : net(request);
  } as typeof fetch;
}
