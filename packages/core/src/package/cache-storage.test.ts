import { describe, expect, it } from 'vitest';
import { createCachingFetch, type CacheEvent } from './cache-storage.js';
import { sha256Hex } from './integrity.js';

// Node has no Cache Storage: a small in-memory one with the same semantics for the calls we use.
class MemoryCache {
  readonly entries = new Map<string, { body: Uint8Array; headers: Headers }>();
  async match(url: string) {
    const e = this.entries.get(url);
    return e ? new Response(e.body.slice(), { headers: e.headers }) : undefined;
  }
  async put(url: string, res: Response) {
    this.entries.set(url, { body: new Uint8Array(await res.arrayBuffer()), headers: new Headers(res.headers) });
  }
  async delete(url: string) {
    return this.entries.delete(url);
  }
}
class MemoryCacheStorage {
  readonly caches = new Map<string, MemoryCache>();
  async open(name: string) {
    if (!this.caches.has(name)) this.caches.set(name, new MemoryCache());
    return this.caches.get(name)!;
  }
}

async function setup() {
  const model = new Uint8Array(1000).map((_, i) => i % 251);
  const manifest = { schemaVersion: 1, id: 'm', files: [{ path: 'model.onnx', role: 'model', bytes: 1000, sha256: await sha256Hex(model) }] };
  const hits: string[] = [];
  let online = true;
  const server: Record<string, Uint8Array | string> = {
    'https://x.test/models/m/model.json': JSON.stringify(manifest),
    'https://x.test/models/m/model.onnx': model,
    'https://x.test/other.bin': new Uint8Array([1, 2]),
  };
  const net = (async (input: RequestInfo | URL) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!online) throw new TypeError('Failed to fetch');
    hits.push(url.split('/').pop()!);
    const body = server[url];
    return body === undefined ? new Response('no', { status: 404 }) : new Response(body as BodyInit, { headers: { 'content-length': String(typeof body === 'string' ? body.length : body.byteLength) } });
  }) as typeof fetch;
  const storage = new MemoryCacheStorage();
  const events: CacheEvent['type'][] = [];
  const make = () => createCachingFetch({ fetch: net, caches: storage as unknown as CacheStorage, onEvent: (e) => events.push(e.type) });
  return { model, hits, storage, events, make, setOnline: (v: boolean) => (online = v) };
}

async function loadAll(f: typeof fetch) {
  await (await f(new URL('https://x.test/models/m/model.json'))).json();
  return new Uint8Array(await (await f(new URL('https://x.test/models/m/model.onnx'))).arrayBuffer());
}

describe('createCachingFetch', () => {
  it('downloads once, then serves verified bytes from the cache', async () => {
    const s = await setup();
    expect(await loadAll(s.make())).toEqual(s.model);
    await new Promise((r) => setTimeout(r, 0)); // the store runs in the background
    expect(s.hits).toEqual(['model.json', 'model.onnx']);
    const f2 = s.make();
    expect(await loadAll(f2)).toEqual(s.model);
    expect(s.hits.filter((h) => h === 'model.onnx')).toHaveLength(1);
    expect(s.events).toContain('hit');
  });

  it('evicts a corrupted cache entry and refetches', async () => {
    const s = await setup();
    await loadAll(s.make());
    await new Promise((r) => setTimeout(r, 0));
    const cache = await s.storage.open('resnet-edge-models-v1');
    cache.entries.get('https://x.test/models/m/model.onnx')!.body[10]! ^= 0xff;
    expect(await loadAll(s.make())).toEqual(s.model);
    expect(s.events).toContain('evict');
    expect(s.hits.filter((h) => h === 'model.onnx')).toHaveLength(2);
  });

  it('falls back to the cached manifest offline; never caches what no manifest vouches for', async () => {
    const s = await setup();
    await loadAll(s.make());
    await new Promise((r) => setTimeout(r, 0));
    const f = s.make();
    await f(new URL('https://x.test/other.bin'));
    await new Promise((r) => setTimeout(r, 0));
    const cache = await s.storage.open('resnet-edge-models-v1');
    expect([...cache.entries.keys()].sort()).toEqual(['https://x.test/models/m/model.json', 'https://x.test/models/m/model.onnx']);
    s.setOnline(false);
    expect(await loadAll(s.make())).toEqual(s.model);
    expect(s.events).toContain('offline-manifest');
    await expect(s.make()(new URL('https://x.test/other.bin'))).rejects.toThrow('Failed to fetch');
  });

  it('passes 404s and non-GET requests through untouched', async () => {
    const s = await setup();
    const f = s.make();
    expect((await f(new URL('https://x.test/models/nope/model.json'))).status).toBe(404);
    expect((await f(new URL('https://x.test/models/m/model.json'), { method: 'HEAD' })).status).toBe(200);
  });

  it('is the plain fetch where there is no Cache Storage', () => {
    const net = (async () => new Response('')) as typeof fetch;
    expect(createCachingFetch({ fetch: net, caches: undefined })).toBe(net);
  });
});
