/**
 * HTTP-layer behaviour through the real handler (`app.fetch(new Request(...), env, ctx)`): routing, auth,
 * CORS, body/pixel caps, sniffing and the JSON error contract. None of these paths needs model weights.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { DRAIN_LIMIT_BYTES } from './drain.js';
import type { Env } from './env.js';
import { appCaller, expectJsonError } from './testing/app-client.js';
import { dirAssets, encodePng, grayToRgba, MODELS_DIR, testCtx } from './testing/fixtures.js';

const TOKEN = 'tok-abcdefghijklmnop';
const app = createApp({});
const env: Env = {
  ASSETS: dirAssets({ root: MODELS_DIR }),
  API_TOKEN: TOKEN,
  CORS_ORIGINS: 'https://app.example, https://other.example/',
  MAX_IMAGE_BYTES: '4096',
  MAX_PIXELS: '10000',
};
const auth = { authorization: `Bearer ${TOKEN}` };
const tinyPng = encodePng({ rgba: grayToRgba({ pixels: new Uint8Array(28 * 28).fill(200), width: 28, height: 28 }), width: 28, height: 28 });

const call = appCaller({ app, env, headers: auth });

/** A PNG header claiming `w`x`h` pixels; nothing after IHDR. */
function pngHeader(w: number, h: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(b.buffer).setUint32(16, w);
  new DataView(b.buffer).setUint32(20, h);
  b.set([8, 6, 0, 0, 0], 24);
  return b;
}

describe('routing', () => {
  it('GET /healthz is public and JSON', async () => {
    const res = await call({ path: '/healthz', method: 'GET', headers: {} });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
  it('HEAD /healthz answers without a body', async () => {
    const res = await call({ path: '/healthz', method: 'HEAD', headers: {} });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
  it('404 for an unknown path', async () => {
    await expectJsonError(await call({ path: '/v2/nope', method: 'GET' }), 404, 'NOT_FOUND');
  });
  it('405 with Allow for a wrong method', async () => {
    const res = await call({ path: '/v1/classify', method: 'GET' });
    expect(res.headers.get('allow')).toBe('POST');
    await expectJsonError(res, 405, 'METHOD_NOT_ALLOWED');
    await expectJsonError(await call({ path: '/v1/models', method: 'DELETE' }), 405, 'METHOD_NOT_ALLOWED');
  });
});

describe('auth', () => {
  it('401 without a token, with a wrong token, and with a wrong scheme', async () => {
    const r1 = await call({ path: '/v1/classify', body: tinyPng, headers: {} });
    expect(r1.headers.get('www-authenticate')).toMatch(/^Bearer/);
    await expectJsonError(r1, 401, 'UNAUTHORIZED');
    await expectJsonError(await call({ path: '/v1/classify', body: tinyPng, headers: { authorization: `Bearer ${TOKEN}x` } }), 401, 'UNAUTHORIZED');
    await expectJsonError(await call({ path: '/v1/models', method: 'GET', headers: { authorization: `Basic ${TOKEN}` } }), 401, 'UNAUTHORIZED');
  });
  it('says a header with more than one token is malformed, not missing', async () => {
    const r = await expectJsonError(await call({ path: '/v1/models', method: 'GET', headers: { authorization: `Bearer ${TOKEN} extra` } }), 401, 'UNAUTHORIZED');
    expect(r.error.message).toMatch(/^Malformed Authorization header/);
    const none = await expectJsonError(await call({ path: '/v1/models', method: 'GET', headers: {} }), 401, 'UNAUTHORIZED');
    expect(none.error.message).toMatch(/^Missing bearer token/);
  });
  it('is off when API_TOKEN is unset', async () => {
    const res = await call({ path: '/v1/classify?model=not-deployed', body: tinyPng, headers: {}, env: { ...env, API_TOKEN: undefined } });
    await expectJsonError(res, 404, 'UNKNOWN_MODEL');
  });
});

describe('server-timing on every error of /v1/classify and /v1/detect', () => {
  it('401 and 405 carry it, like the errors raised while parsing', async () => {
    const timed = /total;dur=[\d.]+$/;
    expect((await call({ path: '/v1/classify', body: tinyPng, headers: {} })).headers.get('server-timing')).toMatch(timed);
    expect((await call({ path: '/v1/detect', method: 'GET' })).headers.get('server-timing')).toMatch(timed);
    expect((await call({ path: '/v1/classify', body: new Uint8Array([1, 2, 3]) })).headers.get('server-timing')).toMatch(/^parse;dur=/);
    expect((await call({ path: '/healthz', method: 'POST', headers: {} })).headers.get('server-timing')).toBeNull();
  });
});

describe('CORS', () => {
  it('echoes an allowed origin and exposes the custom headers', async () => {
    const res = await call({ path: '/healthz', method: 'GET', headers: { origin: 'https://other.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://other.example');
    expect(res.headers.get('access-control-expose-headers')).toContain('x-backend');
    expect(res.headers.get('vary')).toBe('Origin');
  });
  it('sends no CORS headers to other origins, also on errors', async () => {
    const res = await call({ path: '/v1/classify', body: tinyPng, headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
  it('answers preflight without auth', async () => {
    const res = await call({
      path: '/v1/classify',
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
  });
});

describe('request bodies', () => {
  it('400 EMPTY_INPUT for an empty body', async () => {
    await expectJsonError(await call({ path: '/v1/classify', body: new Uint8Array(0) }), 400, 'EMPTY_INPUT');
    await expectJsonError(await call({ path: '/v1/classify' }), 400, 'EMPTY_INPUT');
  });
  it('400 INVALID_JSON for malformed JSON (sniffed, Content-Type ignored)', async () => {
    await expectJsonError(await call({ path: '/v1/classify', body: '{"image": [137, 80,', headers: { ...auth, 'content-type': 'image/png' } }), 400, 'INVALID_JSON');
  });
  it('400 for JSON without a byte array, or with non-byte values', async () => {
    await expectJsonError(await call({ path: '/v1/classify', body: '{"img": []}' }), 400, 'INVALID_ARGUMENT');
    await expectJsonError(await call({ path: '/v1/classify', body: JSON.stringify({ image: [137, 80, 300] }) }), 400, 'INVALID_ARGUMENT');
    await expectJsonError(await call({ path: '/v1/classify', body: JSON.stringify({ image: 'iVBOR' }) }), 400, 'INVALID_ARGUMENT');
  });
  it('400 for out-of-range options in the query or JSON, and for path-like model ids', async () => {
    await expectJsonError(await call({ path: '/v1/classify?topK=0', body: tinyPng }), 400, 'INVALID_ARGUMENT');
    await expectJsonError(await call({ path: '/v1/classify?topK=abc', body: tinyPng }), 400, 'INVALID_ARGUMENT');
    await expectJsonError(await call({ path: '/v1/detect?threshold=1.5', body: tinyPng }), 400, 'INVALID_ARGUMENT');
    await expectJsonError(await call({ path: '/v1/detect?nms=greedy', body: tinyPng }), 400, 'INVALID_ARGUMENT');
    await expectJsonError(await call({ path: '/v1/detect', body: JSON.stringify({ image: Array.from(tinyPng), iou: 2 }) }), 400, 'INVALID_ARGUMENT');
    await expectJsonError(await call({ path: '/v1/classify', body: JSON.stringify({ image: Array.from(tinyPng), topK: 2.5 }) }), 400, 'INVALID_ARGUMENT');
    await expectJsonError(await call({ path: '/v1/classify?model=../secrets', body: tinyPng }), 400, 'INVALID_ARGUMENT');
  });
  it('415 for bytes that are not JPEG/PNG/WebP, whatever the Content-Type', async () => {
    await expectJsonError(await call({ path: '/v1/classify', body: 'GIF89a\x01\x00\x01\x00', headers: { ...auth, 'content-type': 'image/png' } }), 415, 'UNSUPPORTED_IMAGE_FORMAT');
    await expectJsonError(await call({ path: '/v1/classify', body: JSON.stringify({ image: [1, 2, 3, 4] }) }), 415, 'UNSUPPORTED_IMAGE_FORMAT');
  });
  it('413 BODY_TOO_LARGE from Content-Length, before reading', async () => {
    const big = new Uint8Array(4096 * 4 + 64 * 1024 + 1);
    big.set(tinyPng.subarray(0, 8));
    await expectJsonError(await call({ path: '/v1/classify', body: big }), 413, 'BODY_TOO_LARGE');
  });
  it('413 BODY_TOO_LARGE mid-stream for a chunked raw image over the image cap; the rest is drained before the answer, bounded', async () => {
    let sent = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        // Endless PNG-looking stream: refused at the cap, never buffered, drained up to DRAIN_LIMIT_BYTES, never cancelled.
        c.enqueue(sent === 0 ? pngHeader(10, 10) : new Uint8Array(64 * 1024));
        sent++;
      },
      cancel() {
        cancelled = true;
      },
    });
    const req = new Request('http://localhost/v1/classify', { method: 'POST', body: stream, headers: auth, duplex: 'half' } as RequestInit);
    await expectJsonError(await app.fetch(req, env, testCtx()), 413, 'BODY_TOO_LARGE');
    const chunks = DRAIN_LIMIT_BYTES / (64 * 1024);
    expect(sent).toBeGreaterThan(chunks);
    expect(sent).toBeLessThan(chunks + 8);
    expect(cancelled).toBe(false);
  });
  it('413 IMAGE_TOO_LARGE from the header pixel count, before decoding', async () => {
    const body = await expectJsonError(await call({ path: '/v1/classify', body: pngHeader(65535, 65535) }), 413, 'IMAGE_TOO_LARGE');
    expect(body.error.message).toContain('65535x65535');
  });
  it('413 for a JSON array longer than the image cap', async () => {
    await expectJsonError(await call({ path: '/v1/classify', body: JSON.stringify({ image: new Array(4097).fill(0) }) }), 413, 'BODY_TOO_LARGE');
  });
  it('422 for a truncated header of a sniffed format', async () => {
    await expectJsonError(await call({ path: '/v1/classify', body: new Uint8Array([0xff, 0xd8, 0xff, 0xd9, 0, 0, 0, 0]) }), 422, 'IMAGE_DECODE_FAILED');
  });
  it('404 UNKNOWN_MODEL for a model outside the allow-list, without touching assets', async () => {
    await expectJsonError(await call({ path: '/v1/classify?model=resnet-9000', body: tinyPng }), 404, 'UNKNOWN_MODEL');
  });
  it('404 UNKNOWN_MODEL for an allowed id whose package is not deployed', async () => {
    const res = await call({ path: '/v1/classify?model=ghost', body: tinyPng, env: { ...env, MODELS: 'ghost' } });
    const body = await expectJsonError(res, 404, 'UNKNOWN_MODEL');
    expect(JSON.stringify(body)).not.toContain('assets.invalid');
    expect(body.error.message).toBe('Model "ghost" is not deployed.');
  });
});
