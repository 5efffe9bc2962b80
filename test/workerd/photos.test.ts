/**
 * Phone photos and hostile images through the real Worker in workerd, with the shipped limits (48 MP; 8 MP for WebP)
 * and the shipped default classifier (issues 14 and 17): a 12 MP JPEG gets 200; every named image bomb gets its
 * typed 413/422; after each, the isolate's JS heap + ArrayBuffers (read through the inspector) stay under the 128 MB
 * Workers limit, and the Worker keeps answering. Timings go to test-artifacts/worker-photos.json (no timed assertions;
 * `infer` in server-timing is decode + resize + the model, which itself takes ~2 ms on fmnist-resnet20).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageBombs } from '../../packages/core/src/testing/image-bombs.js';
import { encodeJpeg, hasModel } from '../../packages/worker/src/testing/fixtures.js';
import { encodeWebp, photoLike } from '../../packages/worker/src/testing/photos.js';
import { freshFetch, REPO_ROOT, stageAssets, startDevServer, type DevServer } from './dev-server.js';
import { connectIsolateHeap } from './isolate-heap.js';

const LIMIT = 128e6;

/**
 * The workerd process may grow by at most this much over a bomb. The isolate figure above misses native memory: before
 * core's DecompressionStream inflate ran in lock-step, a PNG bomb inflated to ~3.8 GB there outside the V8 heap.
 */
const NATIVE_GROWTH_LIMIT = 512e6;
let server: DevServer;
let heap: Awaited<ReturnType<typeof connectIsolateHeap>>;
const record: Record<string, unknown>[] = [];

beforeAll(async () => {
  const inspectorPort = 9300 + Math.floor(Math.random() * 90);
  server = await startDevServer({ assetsDir: stageAssets(), inspectorPort });
  heap = await connectIsolateHeap({ port: inspectorPort });
});
afterAll(async () => {
  heap?.close();
  await server?.stop();
  mkdirSync(join(REPO_ROOT, 'test-artifacts'), { recursive: true });
  writeFileSync(join(REPO_ROOT, 'test-artifacts/worker-photos.json'), `${JSON.stringify({ date: new Date().toISOString(), requests: record }, null, 2)}\n`);
});

/** Posts `body`, records status, wall time, server-timing and the isolate's memory afterwards. */
async function post(name: string, body: Uint8Array<ArrayBuffer>): Promise<{ res: Response; isolateBytes: number }> {
  const t0 = performance.now();
  // A fresh connection per request: these bodies take seconds to build, longer than wrangler dev keeps an idle
  // keep-alive socket, and a POST on a socket closed under it fails (EPIPE) for reasons unrelated to the Worker.
  const res = await freshFetch(`${server.url}/v1/classify?topK=1`, { method: 'POST', body });
  const ms = Math.round(performance.now() - t0);
  const h = await heap!.sample();
  const isolateBytes = h.usedBytes + h.backingBytes + h.embedderBytes;
  record.push({ name, bytes: body.byteLength, status: res.status, ms, serverTiming: res.headers.get('server-timing'), isolateMB: Math.round(isolateBytes / 1e5) / 10 });
  return { res, isolateBytes };
}

describe.skipIf(!hasModel({ id: 'fmnist-resnet20' }))('photos and bombs in workerd (shipped limits)', () => {
  it('has an inspector to read the isolate heap from', () => {
    expect(heap).toBeDefined();
  });

  it('a 12 MP JPEG (4032x3024, ~2 MB) gets 200 with a classification', async () => {
    const jpeg = encodeJpeg({ rgba: photoLike({ width: 4032, height: 3024 }), width: 4032, height: 3024, quality: 85 });
    for (const round of ['cold', 'warm']) {
      const { res, isolateBytes } = await post(`jpeg-12mp-${round}`, jpeg);
      expect(res.status, await res.clone().text()).toBe(200);
      expect(res.headers.get('server-timing')).toMatch(/infer;dur=/);
      expect(((await res.json()) as unknown[]).length).toBe(1);
      expect(isolateBytes).toBeLessThan(LIMIT);
    }
  });

  it('an 8 MP WebP (3264x2448, decoded at full size) gets 200', async () => {
    const webp = await encodeWebp({ rgba: photoLike({ width: 3264, height: 2448, seed: 2 }), width: 3264, height: 2448 });
    const { res, isolateBytes } = await post('webp-8mp', webp);
    expect(res.status, await res.clone().text()).toBe(200);
    // JS heap + ArrayBuffers only: libwebp's wasm memory (~5 bytes/pixel, see src/env.ts) is not in this figure.
    expect(isolateBytes).toBeLessThan(LIMIT);
  });

  it.each(imageBombs())('bomb $name ($note): typed error, isolate under 128 MB, workerd grows < 512 MB', async ({ name, make, code }) => {
    const body = make().slice();
    const rssBefore = server.workerdRss();
    const { res, isolateBytes } = await post(`bomb-${name}`, body);
    expect(res.status).toBe(code === 'IMAGE_TOO_LARGE' ? 413 : 422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    expect(isolateBytes).toBeLessThan(LIMIT);
    const rssAfter = server.workerdRss();
    if (rssBefore !== null && rssAfter !== null) expect(rssAfter - rssBefore).toBeLessThan(NATIVE_GROWTH_LIMIT);
  });

  it('still answers normally after all of them', async () => {
    const small = encodeJpeg({ rgba: photoLike({ width: 64, height: 48 }), width: 64, height: 48 });
    const { res } = await post('after-bombs', small);
    expect(res.status).toBe(200);
  });
});
