/**
 * Request bodies through the real handler: JSON vs raw image decided by the bytes (never their chunking), which
 * cap a 413 reports, JSON that is not an object, unknown options, and a client that vanishes mid-upload. Runs the
 * tiny real model package, so accepted bodies are checked to answer 200 with the same result.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from './app.js';
import { DRAIN_LIMIT_BYTES } from './drain.js';
import type { Env } from './env.js';
import { createWorkerBackends } from './worker-backends.js';
import { appCaller, expectJsonError } from './testing/app-client.js';
import { dirAssets, encodePng, testCtx, TINY_ID, writeTinyPackage } from './testing/fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'resnet-edge-body-'));
writeTinyPackage({ root });
const IMAGE_CAP = 4096;
const JSON_CAP = IMAGE_CAP * 4 + 64 * 1024;
const env: Env = { ASSETS: dirAssets({ root }), MODELS: TINY_ID, DEFAULT_CLASSIFY_MODEL: TINY_ID, BACKEND: 'wasm', MAX_IMAGE_BYTES: String(IMAGE_CAP) };
const call = appCaller({ app: createApp({ registry: createWorkerBackends() }), env, headers: {} });
const enc = new TextEncoder();

// Noise keeps the PNG near 2.4 KB: under the image cap, while its JSON spelling (~8 KB) is over it.
const png = encodePng({ rgba: new Uint8Array(24 * 24 * 4).map((_, i) => (i * 2654435761) >>> 24), width: 24, height: 24 });
const jsonBody = (extra: Record<string, unknown> = {}) => enc.encode(JSON.stringify({ image: Array.from(png), ...extra }));

/** `bytes` as a stream cut at `cuts` (ascending offsets). */
function chunked(bytes: Uint8Array, cuts: number[]): ReadableStream<Uint8Array> {
  const edges = [0, ...cuts, bytes.length];
  return new ReadableStream({
    start(c) {
      for (let i = 1; i < edges.length; i++) c.enqueue(bytes.slice(edges[i - 1], edges[i]));
      c.close();
    },
  });
}

afterEach(() => vi.restoreAllMocks());

describe('JSON or raw image: decided by the first significant byte, whatever the chunking', () => {
  const reference = async () => (await call({ path: '/v1/classify?topK=3', body: png })).json();

  it.each([
    ['20 spaces', enc.encode(' '.repeat(20))],
    ['newlines and tabs', enc.encode('\n\t\r\n'.repeat(8))],
    ['a UTF-8 BOM', new Uint8Array([0xef, 0xbb, 0xbf])],
    ['a BOM and 30 spaces', new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode(' '.repeat(30))])],
  ])('a JSON body over the image cap after %s answers the same for every chunking', async (_, prefix) => {
    const body = new Uint8Array([...prefix, ...jsonBody({ topK: 3 })]);
    expect(body.length).toBeGreaterThan(IMAGE_CAP);
    const want = await reference();
    for (const cuts of [[], [1], [2], [prefix.length], [16], [prefix.length + 1], Array.from({ length: 40 }, (_, i) => i + 1)]) {
      const res = await call({ path: '/v1/classify', body: chunked(body, cuts) });
      expect(res.status, `cuts ${cuts.slice(0, 3)}`).toBe(200);
      expect(await res.json()).toEqual(want);
    }
  });

  it('more than 1 KiB of leading whitespace is taken as JSON (no image starts so)', async () => {
    const res = await call({ path: '/v1/classify', body: chunked(new Uint8Array([...enc.encode(' '.repeat(5000)), ...jsonBody()]), [7, 2000]) });
    expect(res.status).toBe(200);
  });

  it('a body of whitespace only is EMPTY_INPUT', async () => {
    await expectJsonError(await call({ path: '/v1/classify', body: ' \n\t '.repeat(10) }), 400, 'EMPTY_INPUT');
  });

  it('a raw image is still capped at the image cap, however it is chunked', async () => {
    const big = new Uint8Array(IMAGE_CAP + 1);
    big.set(png);
    for (const cuts of [[], [1], [8], [IMAGE_CAP]]) {
      const body = await expectJsonError(await call({ path: '/v1/classify', body: chunked(big, cuts) }), 413, 'BODY_TOO_LARGE');
      expect((body.error as { details?: unknown }).details).toEqual({ limit: IMAGE_CAP, kind: 'image' });
    }
  });
});

describe('JSON that is not an object', () => {
  it('a BOM before {"image": [...]} is parsed as JSON', async () => {
    const res = await call({ path: '/v1/classify?topK=2', body: new Uint8Array([0xef, 0xbb, 0xbf, ...jsonBody()]) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(await (await call({ path: '/v1/classify?topK=2', body: png })).json());
  });

  it.each([
    ['a bare byte array', JSON.stringify(Array.from(png)), /is an array; it must be an object like \{"image"/],
    ['a string', JSON.stringify('iVBORw0KGgo='), /is a string/],
    ['a number', '123', /is a number/],
    ['true', ' true ', /is a boolean/],
    ['null', 'null', /is null/],
  ])('%s is 400 INVALID_ARGUMENT, not 415', async (_, body, message) => {
    const res = await expectJsonError(await call({ path: '/v1/classify', body }), 400, 'INVALID_ARGUMENT');
    expect(res.error.message).toMatch(message);
  });

  it('text that is not JSON stays 415', async () => {
    await expectJsonError(await call({ path: '/v1/classify', body: 'hello world' }), 415, 'UNSUPPORTED_IMAGE_FORMAT');
  });
});

describe('unknown or misspelt options are refused, not ignored', () => {
  it.each([
    ['/v1/classify?top_k=1', undefined, /Unknown query parameter "top_k"; did you mean "topK"\?/],
    ['/v1/classify?topk=1', undefined, /did you mean "topK"\?/],
    ['/v1/detect?treshold=0.5', undefined, /did you mean "threshold"\?/],
    ['/v1/classify?foo=1', undefined, /Unknown query parameter "foo"\. Known: model, topK/],
    ['/v1/classify', { top_k: 1 }, /Unknown JSON field "top_k"; did you mean "topK"\?/],
    ['/v1/classify', { img: [1] }, /Unknown JSON field "img"; did you mean "image"\?/],
  ])('%s %j', async (path, extra, message) => {
    const body = extra ? jsonBody(extra) : png;
    const res = await expectJsonError(await call({ path, body }), 400, 'INVALID_ARGUMENT');
    expect(res.error.message).toMatch(message);
  });

  it('a query parameter given twice is refused', async () => {
    await expectJsonError(await call({ path: '/v1/classify?topK=2&topK=abc', body: png }), 400, 'INVALID_ARGUMENT');
  });

  it('detection-only options on /v1/classify are refused (they would be ignored)', async () => {
    const res = await expectJsonError(await call({ path: '/v1/classify?threshold=0.9', body: png }), 400, 'INVALID_ARGUMENT');
    expect(res.error.message).toContain('/v1/detect only');
    await expectJsonError(await call({ path: '/v1/classify', body: jsonBody({ nms: 'per-class' }) }), 400, 'INVALID_ARGUMENT');
  });

  it('documented options still work, in the query and in JSON', async () => {
    expect(await (await call({ path: `/v1/classify?topK=1&model=${TINY_ID}`, body: png })).json()).toHaveLength(1);
    expect(await (await call({ path: '/v1/classify', body: jsonBody({ topK: 2, model: TINY_ID }) })).json()).toHaveLength(2);
  });
});

describe('413 by Content-Length reports the cap of the body kind', () => {
  it.each([
    ['a raw image', png, IMAGE_CAP, 'image'],
    ['a JSON body', jsonBody(), JSON_CAP, 'json'],
  ])('%s with a huge declared length', async (_, bytes, limit, kind) => {
    let pulled = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(pulled++ === 0 ? bytes : new Uint8Array(1024));
      },
      cancel() {
        cancelled = true;
      },
    }, { highWaterMark: 0 });
    const headers = { 'content-length': String(DRAIN_LIMIT_BYTES * 10) };
    const body = await expectJsonError(await call({ path: '/v1/classify', body: stream, headers }), 413, 'BODY_TOO_LARGE');
    expect((body.error as { details?: unknown }).details).toEqual({ limit, kind });
    expect(pulled).toBe(1); // refused after the first chunk; past the drain limit, not read further
    expect(cancelled).toBe(false);
  });
});

describe('a request the client gave up on', () => {
  it('an already-aborted signal is 408 ABORTED (documented), with server-timing', async () => {
    const ac = new AbortController();
    ac.abort();
    const res = await createApp({ registry: createWorkerBackends() }).fetch(
      new Request('http://localhost/v1/classify', { method: 'POST', body: png, signal: ac.signal }),
      env,
      testCtx(),
    );
    expect(res.headers.get('server-timing')).toMatch(/infer;dur=/);
    await expectJsonError(res, 408, 'ABORTED');
  });

  it('a body that errors mid-upload is 408 ABORTED (a client-side error), with no server-error log', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(png.subarray(0, 50));
        c.error(new Error('client disconnected'));
      },
    });
    const res = await call({ path: '/v1/classify', body });
    expect(res.headers.get('server-timing')).toMatch(/parse;dur=/);
    await expectJsonError(res, 408, 'ABORTED');
    expect(log).not.toHaveBeenCalled();
  });
});
