/**
 * `createWorker` as someone with their own models uses it: their packages in an assets directory, options in code,
 * vars for the rest, called in-process with `worker.request(...)` on the real runtime (own engine).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorker, type Env } from './create-worker.js';
import { expectJsonError } from './testing/app-client.js';
import { dirAssets, encodePng, squaresImage, TINY_DET_ID, writeTinyDetectorPackage, writeTinyPackage } from './testing/fixtures.js';

// "Their" deployment: a classifier under their own id, plus a detector, and nothing from this repo's models/.
const root = mkdtempSync(join(tmpdir(), 'resnet-edge-own-models-'));
writeTinyPackage({ root, id: 'acme-shoes' });
writeTinyDetectorPackage({ root });
const env: Env = { ASSETS: dirAssets({ root }) };
const png = encodePng({ rgba: new Uint8Array(32 * 32 * 4).map((_, i) => (i * 7) % 256), width: 32, height: 32 });
const post = (body: BodyInit) => ({ method: 'POST', body });

describe('createWorker({ models }) with your own model packages', () => {
  const worker = createWorker({ models: ['acme-shoes', TINY_DET_ID] });

  it('serves them, and picks the default of each task from the manifests when none is configured', async () => {
    const res = await worker.request('/v1/classify?topK=2', post(png), env);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-model')).toBe('acme-shoes');
    expect(res.headers.get('x-backend')).toBe('wasm');
    expect(await res.json()).toHaveLength(2);
    const scene = encodePng({ rgba: squaresImage({ width: 64, height: 32, squares: [[8, 8, 8]] }), width: 64, height: 32 });
    const det = await worker.request('/v1/detect', post(scene), env);
    expect(det.status).toBe(200);
    expect(det.headers.get('x-model')).toBe(TINY_DET_ID);
    expect(((await det.json()) as { label: string }[])[0].label).toBe('square');
  });

  it('lists them in /v1/models with their defaults', async () => {
    const res = await worker.request('/v1/models', undefined, env);
    const { data } = (await res.json()) as { data: { id: string; task: string; default: boolean }[] };
    expect(data.map(({ id, task, default: d }) => [id, task, d])).toEqual([
      ['acme-shoes', 'classification', true],
      [TINY_DET_ID, 'detection', true],
    ]);
  });

  it('options in code win over the vars; vars fill in the rest', async () => {
    // MODELS from the var is ignored (code said which models), so the repo's default model is not served...
    await expectJsonError(await worker.request('/v1/classify?model=fmnist-resnet20', post(png), { ...env, MODELS: 'fmnist-resnet20' }), 404, 'UNKNOWN_MODEL');
    const vars: Env = { ...env, MODELS: 'fmnist-resnet20', MAX_PIXELS: '100', CORS_ORIGINS: 'https://shop.example' };
    // ...while MAX_PIXELS and CORS_ORIGINS, which the code left open, apply.
    const res = await worker.request('/v1/classify', { ...post(png), headers: { origin: 'https://shop.example' } }, vars);
    await expectJsonError(res, 413, 'IMAGE_TOO_LARGE');
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const strict = createWorker({ models: ['acme-shoes'], limits: { maxPixels: 100 } });
    await expectJsonError(await strict.request('/v1/classify', post(png), { ...env, MAX_PIXELS: '100000000' }), 413, 'IMAGE_TOO_LARGE');
  });

  it('explicit defaults, and a clear 404 when no served model does the task', async () => {
    const classifyOnly = createWorker({ models: ['acme-shoes'], defaultModels: { classify: 'acme-shoes' } });
    expect((await classifyOnly.request('/v1/classify', post(png), env)).headers.get('x-model')).toBe('acme-shoes');
    const body = await expectJsonError(await classifyOnly.request('/v1/detect', post(png), env), 404, 'UNKNOWN_MODEL');
    expect(body.error.message).toContain('no detection model');
  });

  it('request() takes a Request and stream bodies too', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(png.subarray(0, 10));
        c.enqueue(png.subarray(10));
        c.close();
      },
    });
    expect((await worker.request('/v1/classify', post(stream), env)).status).toBe(200);
    expect((await worker.request(new Request('http://x/healthz'), undefined, env)).status).toBe(200);
  });
});
