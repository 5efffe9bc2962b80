// Files without a manifest over real HTTP: declared sha256 (option, Repr-Digest, Digest, X-Linked-Etag) or pinned on first
// download; Cache Storage semantics through a small in-memory Cache (Node has no Cache Storage; the browser tier has the real one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFiles, type FileServer } from '../testing/file-server.js';
import { sha256Hex } from './integrity.js';
import { createMemoryPinStore } from './pin-store.js';
import { declaredSha256, fetchVerified } from './verified-fetch.js';

class MemoryCache {
  readonly entries = new Map<string, Uint8Array>();
  async match(url: string) {
    const e = this.entries.get(url);
    return e ? new Response(e.slice()) : undefined;
  }
  async put(url: string, res: Response) {
    this.entries.set(url, new Uint8Array(await res.arrayBuffer()));
  }
  async delete(url: string) {
    return this.entries.delete(url);
  }
}

const v1 = new TextEncoder().encode('model bytes v1');
const v2 = new TextEncoder().encode('model bytes v2 (changed upstream)');
let server: FileServer;
const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

beforeAll(async () => {
  server = await serveFiles({ files: { 'm.onnx': { body: v1 } } });
});
afterAll(() => server.close());

describe('fetchVerified', () => {
  it('pins on first download, verifies later downloads against the pin, and refuses a changed file', async () => {
    const pins = createMemoryPinStore();
    const url = new URL('m.onnx', server.url);
    const first = await fetchVerified({ url, pins });
    expect(first).toMatchObject({ check: 'first-download', sha256: await sha256Hex(v1), fromCache: false });
    expect(await pins.get(url.href)).toBe(first!.sha256);
    expect((await fetchVerified({ url, pins }))!.check).toBe('pinned');
    server.set('m.onnx', { body: v2 });
    await expect(fetchVerified({ url, pins })).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH', message: expect.stringContaining('changed since it was first downloaded') });
    // Declaring the new sha256 accepts the change and moves the pin.
    const next = await fetchVerified({ url, pins, sha256: await sha256Hex(v2) });
    expect(next!.check).toBe('declared');
    expect(await pins.get(url.href)).toBe(await sha256Hex(v2));
    server.set('m.onnx', { body: v1 });
  });

  it('a sha256 the server declares is checked (Repr-Digest, Digest, X-Linked-Etag)', async () => {
    const good = await sha256Hex(v1);
    const bad = await sha256Hex(v2);
    for (const [name, headers] of [
      ['repr', { 'repr-digest': `sha-256=:${b64(good)}:` }],
      ['digest', { digest: `SHA-256=${b64(good)}` }],
      ['linked', { 'x-linked-etag': `"${good}"` }],
    ] as const) {
      server.set(`${name}.onnx`, { body: v1, headers });
      expect((await fetchVerified({ url: new URL(`${name}.onnx`, server.url) }))!.check).toBe('declared');
    }
    server.set('lying.onnx', { body: v1, headers: { 'repr-digest': `sha-256=:${b64(bad)}:` } });
    await expect(fetchVerified({ url: new URL('lying.onnx', server.url) })).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH', message: expect.stringContaining('server declares') });
    expect(declaredSha256(new Headers({ etag: `"${good}"` }))).toBeUndefined(); // a plain ETag is not a declaration
  });

  it('Cache Storage: a verified copy is served without a request; a tampered entry is evicted and refetched', async () => {
    const cache = new MemoryCache();
    const pins = createMemoryPinStore();
    const url = new URL('m.onnx', server.url);
    await fetchVerified({ url, pins, cache: cache as unknown as Cache });
    const before = server.requests.length;
    const hit = await fetchVerified({ url, pins, cache: cache as unknown as Cache });
    expect(hit).toMatchObject({ fromCache: true, check: 'pinned' });
    expect(server.requests.length).toBe(before);
    cache.entries.set(url.href, new TextEncoder().encode('tampered'));
    const refetched = await fetchVerified({ url, pins, cache: cache as unknown as Cache });
    expect(refetched).toMatchObject({ fromCache: false, check: 'pinned' });
    expect(new TextDecoder().decode(cache.entries.get(url.href))).toBe('model bytes v1');
  });

  it('optional files: a 404 is undefined, not an error; a bad sha256 option is INVALID_ARGUMENT', async () => {
    expect(await fetchVerified({ url: new URL('missing.onnx', server.url), optional: true })).toBeUndefined();
    await expect(fetchVerified({ url: new URL('missing.onnx', server.url) })).rejects.toMatchObject({ code: 'UNKNOWN_MODEL' });
    await expect(fetchVerified({ url: new URL('m.onnx', server.url), sha256: 'xyz' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
