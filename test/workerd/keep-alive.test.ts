/**
 * The Worker survives every rejected request (hardening issue, item 2), in real workerd behind wrangler dev's proxy:
 * after an oversized body (by Content-Length, streamed with a length, chunked), bad JSON, a bad image or a refused
 * token, the next requests on the same keep-alive connection and on a new one are answered normally, and every
 * answer is our JSON (before the fix: the next POST got the proxy's `503 text/plain "Your worker restarted
 * mid-request"`, and a body refused by its Content-Length got a reset instead of the 413).
 * Run: npm run test:workerd -w @resnet-edge/worker
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng, TINY_ID, writeTinyPackage } from '../../packages/worker/src/testing/fixtures.js';
import { stageAssets, startDevServer, type DevServer } from './dev-server.js';
import { openConnection, type RawConnection, type RawRequest, type RawResult } from './raw-http.js';

const TOKEN = 'keep-alive-token-7';
const auth = { authorization: `Bearer ${TOKEN}` };
let server: DevServer;

beforeAll(async () => {
  const assetsDir = stageAssets({ models: [], extra: (root) => writeTinyPackage({ root }) });
  // The shipped limits (4 MiB images, so 16 MiB + 64 KiB for JSON bodies), as in the report.
  server = await startDevServer({ assetsDir, vars: { MODELS: TINY_ID, DEFAULT_CLASSIFY_MODEL: TINY_ID, API_TOKEN: TOKEN } });
});
afterAll(async () => {
  await server?.stop();
});

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const good = encodePng({ rgba: new Uint8Array(32 * 32 * 4).map((_, i) => (i * 11) % 256), width: 32, height: 32 });
/** `bytes` bytes that start like a PNG. */
function pngLike(bytes: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(bytes).fill(7);
  b.set(PNG_MAGIC);
  return b;
}
const corruptPng = (() => {
  const b = good.slice();
  for (let i = 41; i < b.length - 12; i++) b[i] ^= 0x5a;
  return b;
})();

/** The rejected requests of the report, with the answer each must get. */
const REJECTED: { name: string; request: RawRequest; status: number; code: string }[] = [
  { name: 'oversized by Content-Length (20 MB, refused from the header)', request: { path: '/v1/classify', headers: auth, body: pngLike(20_000_000) }, status: 413, code: 'BODY_TOO_LARGE' },
  { name: 'oversized while streaming a Content-Length body (5 MB raw image)', request: { path: '/v1/classify', headers: auth, body: pngLike(5_000_000) }, status: 413, code: 'BODY_TOO_LARGE' },
  { name: 'oversized chunked (5 MB, no Content-Length)', request: { path: '/v1/classify', headers: auth, body: pngLike(5_000_000), chunked: true }, status: 413, code: 'BODY_TOO_LARGE' },
  { name: 'bad JSON', request: { path: '/v1/classify', headers: auth, body: new TextEncoder().encode('{"image": [137, 80,') }, status: 400, code: 'INVALID_JSON' },
  { name: 'bad image (corrupt PNG)', request: { path: '/v1/classify', headers: auth, body: corruptPng }, status: 422, code: 'IMAGE_DECODE_FAILED' },
  { name: 'wrong token with a 1 MB body nobody reads', request: { path: '/v1/classify', headers: { authorization: 'Bearer nope' }, body: pngLike(1_000_000) }, status: 401, code: 'UNAUTHORIZED' },
];

/** Asserts one of our JSON answers (never the proxy's text/plain 503, a reset or a hang). */
function expectJson(r: RawResult, status: number, code?: string): void {
  expect(r.kind, JSON.stringify(r)).toBe('response');
  if (r.kind !== 'response') return;
  expect(r.status, r.body).toBe(status);
  expect(r.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(r.body) as { error?: { code: string } };
  if (code) expect(body.error?.code).toBe(code);
}

/** A normal classify and a health check on `c`. */
async function expectNormal(c: RawConnection): Promise<void> {
  const classify = await c.request({ path: `/v1/classify?model=${TINY_ID}&topK=3`, headers: auth, body: good });
  expectJson(classify, 200);
  if (classify.kind === 'response') expect(JSON.parse(classify.body)).toHaveLength(3);
  expectJson(await c.request({ path: '/healthz' }), 200);
}

describe('after a rejected request, the same keep-alive connection and a new one work (raw sockets)', () => {
  it.each(REJECTED)('$name', async ({ request, status, code }) => {
    const c = await openConnection({ url: server.url });
    try {
      expectJson(await c.request(request), status, code);
      expect(c.open()).toBe(true);
      await expectNormal(c);
      // And once more, so a connection that only survived one request would show.
      expectJson(await c.request(request), status, code);
      await expectNormal(c);
    } finally {
      c.close();
    }
    const fresh = await openConnection({ url: server.url });
    try {
      await expectNormal(fresh);
    } finally {
      fresh.close();
    }
  });
});

describe('the same sequences through fetch (pooled keep-alive connections)', () => {
  it('oversized, bad JSON and bad image bodies, each followed by normal requests', async () => {
    const bodies: [Uint8Array<ArrayBuffer> | string, number, string][] = [
      [pngLike(5_000_000), 413, 'BODY_TOO_LARGE'],
      [pngLike(20_000_000), 413, 'BODY_TOO_LARGE'],
      ['{"image": [137, 80,', 400, 'INVALID_JSON'],
      [corruptPng, 422, 'IMAGE_DECODE_FAILED'],
    ];
    for (const [body, status, code] of bodies) {
      const bad = await fetch(`${server.url}/v1/classify`, { method: 'POST', headers: auth, body, signal: AbortSignal.timeout(30_000) });
      expect(bad.status).toBe(status);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe(code);
      const ok = await fetch(`${server.url}/v1/classify?topK=1`, { method: 'POST', headers: auth, body: good, signal: AbortSignal.timeout(30_000) });
      expect(ok.status, await ok.clone().text()).toBe(200);
      expect(await ok.json()).toHaveLength(1);
      const health = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(30_000) });
      expect(await health.json()).toEqual({ status: 'ok' });
    }
  });
});
