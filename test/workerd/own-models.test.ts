/**
 * A Worker written the way the README tells people with their own models to write it (test/workerd/own-models/:
 * a wrangler.toml and a two-line worker.ts importing `@resnet-edge/worker/workerd`), bundled by wrangler from the
 * package's exports and run in real workerd.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng, writeTinyPackage } from '../../packages/worker/src/testing/fixtures.js';
import { freshFetch, REPO_ROOT, stageAssets, startDevServer, type DevServer } from './dev-server.js';

let server: DevServer;
beforeAll(async () => {
  const assetsDir = stageAssets({ models: [], extra: (root) => writeTinyPackage({ root, id: 'acme-shoes' }) });
  server = await startDevServer({ config: join(REPO_ROOT, 'test/workerd/own-models/wrangler.toml'), assetsDir });
});
afterAll(async () => {
  await server?.stop();
});

describe('createWorker({ models }) from @resnet-edge/worker/workerd in workerd', () => {
  it('serves the own model by default on the own engine, with the limits given in code', async () => {
    const png = encodePng({ rgba: new Uint8Array(32 * 32 * 4).map((_, i) => (i * 3) % 256), width: 32, height: 32 });
    const res = await freshFetch(`${server.url}/v1/classify?topK=3`, { method: 'POST', body: png });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-model')).toBe('acme-shoes');
    expect(res.headers.get('x-backend')).toBe('wasm');
    expect(await res.json()).toHaveLength(3);
    const big = new Uint8Array(1_000_001);
    big.set(png.subarray(0, 8));
    const tooBig = await freshFetch(`${server.url}/v1/classify`, { method: 'POST', body: big });
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as { error: { code: string } }).error.code).toBe('BODY_TOO_LARGE');
    const models = (await (await freshFetch(`${server.url}/v1/models`)).json()) as { data: { id: string; default: boolean }[] };
    expect(models.data).toMatchObject([{ id: 'acme-shoes', default: true }]);
  });
});
