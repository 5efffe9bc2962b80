/**
 * Rejected bodies are drained before the answer (drain.ts): through the real app in Node, with streams that
 * record how far they were read. The keep-alive consequences are tested in real workerd (test/workerd).
 */
import { describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { DRAIN_LIMIT_BYTES, drainReader, drainUnread } from './drain.js';
import type { Env } from './env.js';
import { expectJsonError } from './testing/app-client.js';
import { dirAssets, MODELS_DIR, testCtx } from './testing/fixtures.js';

const TOKEN = 'tok-drain-0123456789';
const env: Env = { ASSETS: dirAssets({ root: MODELS_DIR }), API_TOKEN: TOKEN, MAX_IMAGE_BYTES: '4096', MAX_PIXELS: '10000' };
const app = createApp({});

/** A body of `chunks` x `size` bytes that counts what was pulled and whether it was cancelled. */
function countingBody(options: { chunks: number; size?: number; first?: Uint8Array }) {
  const state = { pulled: 0, done: false, cancelled: false };
  const size = options.size ?? 16 * 1024;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (state.pulled === options.chunks) {
        state.done = true;
        c.close();
        return;
      }
      c.enqueue(state.pulled === 0 && options.first ? options.first : new Uint8Array(size));
      state.pulled++;
    },
    cancel() {
      state.cancelled = true;
    },
  }, { highWaterMark: 0 }); // pull only when read, so `pulled` counts reads
  return { stream, state };
}

function post(options: { path: string; body: ReadableStream<Uint8Array>; headers?: Record<string, string> }): Request {
  return new Request(`http://localhost${options.path}`, {
    method: 'POST',
    body: options.body,
    headers: options.headers ?? { authorization: `Bearer ${TOKEN}` },
    duplex: 'half',
  } as RequestInit);
}

describe('drainReader', () => {
  it('reads a stream to its end without cancelling it', async () => {
    const { stream, state } = countingBody({ chunks: 10 });
    expect(await drainReader({ reader: stream.getReader() })).toBe('drained');
    expect(state).toEqual({ pulled: 10, done: true, cancelled: false });
  });
  it('stops past the limit, releases the lock and does not cancel', async () => {
    const { stream, state } = countingBody({ chunks: 1000, size: 1000 });
    expect(await drainReader({ reader: stream.getReader(), alreadyRead: 5000, limit: 20_000 })).toBe('abandoned');
    expect(state.pulled).toBe(16); // 5,000 + 16 x 1,000 > 20,000
    expect(state.cancelled).toBe(false);
    expect(stream.locked).toBe(false);
  });
  it('counts a stream that errors (client gone) as drained instead of throwing', async () => {
    const stream = new ReadableStream<Uint8Array>({ pull: (c) => c.error(new Error('client disconnected')) });
    expect(await drainReader({ reader: stream.getReader() })).toBe('drained');
  });
});

describe('drainUnread', () => {
  it('leaves a body alone whose Content-Length is over the limit', async () => {
    const { stream, state } = countingBody({ chunks: 4 });
    const req = post({ path: '/', body: stream, headers: { 'content-length': String(DRAIN_LIMIT_BYTES + 1) } });
    expect(await drainUnread({ request: req })).toBe('abandoned');
    expect(state.pulled).toBe(0);
  });
  it('is a no-op for a body already read', async () => {
    const req = new Request('http://localhost/', { method: 'POST', body: 'abc' });
    await req.text();
    expect(await drainUnread({ request: req })).toBe('drained');
  });
});

describe('every rejected body is drained before the response is returned', () => {
  it('401 UNAUTHORIZED: the unread body is read to its end', async () => {
    const { stream, state } = countingBody({ chunks: 64 });
    await expectJsonError(await app.fetch(post({ path: '/v1/classify', body: stream, headers: {} }), env, testCtx()), 401, 'UNAUTHORIZED');
    expect(state.done).toBe(true);
  });
  it('404 NOT_FOUND and 405 METHOD_NOT_ALLOWED with a body', async () => {
    const a = countingBody({ chunks: 8 });
    await expectJsonError(await app.fetch(post({ path: '/v2/nothing', body: a.stream }), env, testCtx()), 404, 'NOT_FOUND');
    expect(a.state.done).toBe(true);
    const b = countingBody({ chunks: 8 });
    const put = new Request('http://localhost/v1/classify', { method: 'PUT', body: b.stream, duplex: 'half' } as RequestInit);
    await expectJsonError(await app.fetch(put, env, testCtx()), 405, 'METHOD_NOT_ALLOWED');
    expect(b.state.done).toBe(true);
  });
  it('413 by Content-Length: refused without parsing, then drained', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const { stream, state } = countingBody({ chunks: 8, size: 16 * 1024, first: png });
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-length': String(7 * 16 * 1024 + 8) };
    await expectJsonError(await app.fetch(post({ path: '/v1/classify', body: stream, headers }), env, testCtx()), 413, 'BODY_TOO_LARGE');
    expect(state.done).toBe(true);
  });
  it('413 mid-stream (no Content-Length): the rest is drained, not cancelled', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const { stream, state } = countingBody({ chunks: 100, size: 1024, first: png });
    await expectJsonError(await app.fetch(post({ path: '/v1/classify', body: stream }), env, testCtx()), 413, 'BODY_TOO_LARGE');
    expect(state).toMatchObject({ pulled: 100, done: true, cancelled: false });
  });
});
