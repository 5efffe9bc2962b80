/**
 * The deployed artifact, exercised in real workerd: wrangler bundles packages/worker/src/index.ts
 * (ORT wasm imported as a CompiledWasm module), serves model packages from the [assets] binding, and
 * every request below crosses a real HTTP socket. Run: npm run test:workerd -w @resnet-edge/worker
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createApp } from '../../packages/worker/src/app.js';
import { createWorkerBackends } from '../../packages/worker/src/worker-backends.js';
import {
  dirAssets,
  encodeJpeg,
  encodePng,
  FIXTURES,
  fmnistTestItems,
  grayToRgba,
  hasModel,
  squaresImage,
  testCtx,
  TINY_DET_ID,
  TINY_ID,
  writeTinyDetectorPackage,
  writeTinyPackage,
} from '../../packages/worker/src/testing/fixtures.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { freshFetch, stageAssets, startDevServer, type DevServer } from './dev-server.js';

const TOKEN = 'workerd-test-token-42';
const auth = { authorization: `Bearer ${TOKEN}` };
let server: DevServer;

// The shipped model packages plus small real ONNX packages, so the inference path runs in workerd even before
// the trained models exist, and one whose model file does not match its manifest (as after a botched upload).
const ASSETS_DIR = stageAssets({
  extra: (root) => {
    writeTinyPackage({ root });
    writeTinyPackage({ root, id: 'tiny-split', parts: 3 });
    writeTinyDetectorPackage({ root });
    writeTinyPackage({ root, id: 'tiny-tampered' });
    const tampered = join(root, 'tiny-tampered', 'model.json');
    writeFileSync(tampered, readFileSync(tampered, 'utf8').replace(/"sha256": "[0-9a-f]{64}"/, `"sha256": "${'0'.repeat(64)}"`));
  },
});

beforeAll(async () => {
  const models = ['fmnist-resnet20', 'fmnist-scenes-centernet', TINY_ID, 'tiny-split', TINY_DET_ID, 'tiny-tampered'].join(',');
  server = await startDevServer({ assetsDir: ASSETS_DIR, vars: { MODELS: models, API_TOKEN: TOKEN, MAX_IMAGE_BYTES: '65536', MAX_PIXELS: '1000000', CORS_ORIGINS: 'https://app.example' } });
});
afterAll(async () => {
  await server?.stop();
});

const items = fmnistTestItems({ count: 8 });
const png = (i: number) => encodePng({ rgba: grayToRgba({ pixels: items[i].pixels, width: 28, height: 28 }), width: 28, height: 28 });

async function post(path: string, body: Uint8Array | string, headers: Record<string, string> = auth) {
  return freshFetch(`${server.url}${path}`, { method: 'POST', body, headers });
}

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const text = await res.text();
  expect((JSON.parse(text) as { error: { code: string } }).error.code).toBe(code);
  expect(text).not.toMatch(/\n\s+at |\.ts:\d+|\.js:\d+/);
}

describe('worker in workerd', () => {
  it('GET /healthz', async () => {
    const res = await freshFetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('own wasm engine (BACKEND=auto) in workerd: same scores as in Node, for PNG, JPEG, WebP and JSON bodies', async () => {
    await expectParity({ url: server.url, backend: 'auto', expected: 'wasm' });
  });

  it('detects in workerd: boxes in original pixels, identical to the Node run', async () => {
    const img = encodePng({ rgba: squaresImage({ width: 64, height: 32, squares: [[8, 8, 8], [40, 8, 8]] }), width: 64, height: 32 });
    const res = await post(`/v1/detect?model=${TINY_DET_ID}`, img);
    expect(res.status).toBe(200);
    const remote = (await res.json()) as { label: string; box: { xmin: number; xmax: number } }[];
    expect(remote.map((d) => [d.label, (d.box.xmin + d.box.xmax) / 2]).sort()).toEqual([['square', 12], ['square', 44]]);
    const local = createApp({ registry: createWorkerBackends() });
    const env = { ASSETS: dirAssets({ root: ASSETS_DIR }), MODELS: TINY_DET_ID, BACKEND: res.headers.get('x-backend')! };
    const ref = await local.fetch(new Request(`http://l/v1/detect?model=${TINY_DET_ID}`, { method: 'POST', body: img }), env, testCtx());
    expect(await ref.json()).toEqual(remote);
  });

  it('serves a model split into asset `part` files', async () => {
    const body = encodePng({ rgba: new Uint8Array(32 * 32 * 4).map((_, i) => (i * 5) % 256), width: 32, height: 32 });
    const whole = await (await post(`/v1/classify?model=${TINY_ID}&topK=10`, body)).json();
    const res = await post('/v1/classify?model=tiny-split&topK=10', body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(whole);
  });

  it.skipIf(!hasModel({ id: 'fmnist-resnet20' }))('classifies real Fashion-MNIST PNG/JPEG/JSON exactly like Node', async () => {
    const local = createApp({ registry: createWorkerBackends() });
    let backend = '';
    for (let i = 0; i < items.length; i++) {
      const res = await post('/v1/classify?topK=3', png(i));
      expect(res.status).toBe(200);
      backend = res.headers.get('x-backend')!;
      expect(res.headers.get('x-model')).toBe('fmnist-resnet20');
      expect(res.headers.get('server-timing')).toContain('infer;dur=');
      const remote = await res.json();
      const env = { ASSETS: dirAssets({ root: ASSETS_DIR }), BACKEND: backend };
      const ref = await local.fetch(new Request('http://l/v1/classify?topK=3', { method: 'POST', body: png(i) }), env, testCtx());
      expect(remote).toEqual(await ref.json());
    }
    expect(['wasm', 'ort-wasm']).toContain(backend);
    const jpg = encodeJpeg({ rgba: grayToRgba({ pixels: items[0].pixels, width: 28, height: 28 }), width: 28, height: 28 });
    expect((await post('/v1/classify', jpg)).status).toBe(200);
    const json = await post('/v1/classify', JSON.stringify({ image: Array.from(png(0)), topK: 1 }));
    expect(json.status).toBe(200);
    expect(await json.json()).toHaveLength(1);
  });

  it.skipIf(!hasModel({ id: 'fmnist-scenes-centernet' }))('detects on a 96x96 scene with boxes in pixels', async () => {
    const canvas = new Uint8Array(96 * 96);
    for (let y = 0; y < 40; y++) for (let x = 0; x < 40; x++) canvas[(20 + y) * 96 + 30 + x] = items[1].pixels[Math.floor((y * 28) / 40) * 28 + Math.floor((x * 28) / 40)];
    const res = await post('/v1/detect?threshold=0.3', encodePng({ rgba: grayToRgba({ pixels: canvas, width: 96, height: 96 }), width: 96, height: 96 }));
    expect(res.status).toBe(200);
    const dets = (await res.json()) as { box: { xmin: number; ymin: number; xmax: number; ymax: number } }[];
    expect(dets.length).toBeGreaterThanOrEqual(1);
    expect(dets[0].box.xmin).toBeGreaterThanOrEqual(0);
    expect(dets[0].box.xmax).toBeLessThanOrEqual(96);
  });

  it('400 bad JSON', async () => {
    await expectError(await post('/v1/classify', '{"image": [1, 2'), 400, 'INVALID_JSON');
  });
  it('401 wrong token', async () => {
    await expectError(await post('/v1/classify', png(0), { authorization: 'Bearer nope' }), 401, 'UNAUTHORIZED');
  });
  it('404 unknown model and unknown route', async () => {
    await expectError(await post('/v1/classify?model=resnet-9000', png(0)), 404, 'UNKNOWN_MODEL');
    await expectError(await freshFetch(`${server.url}/v1/nothing`, { headers: auth }), 404, 'NOT_FOUND');
  });
  it('405 wrong method', async () => {
    const res = await freshFetch(`${server.url}/v1/detect`, { method: 'PUT', body: 'x', headers: auth });
    expect(res.headers.get('allow')).toBe('POST');
    await expectError(res, 405, 'METHOD_NOT_ALLOWED');
  });
  it('413 oversized body and oversized pixel count', async () => {
    const big = new Uint8Array(70_000);
    big.set(png(0).subarray(0, 8));
    await expectError(await post('/v1/classify', big), 413, 'BODY_TOO_LARGE');
    const header = png(0).slice(0, 33);
    new DataView(header.buffer).setUint32(16, 40000);
    new DataView(header.buffer).setUint32(20, 40000);
    await expectError(await post('/v1/classify', header), 413, 'IMAGE_TOO_LARGE');
  });
  it('415 not an image', async () => {
    await expectError(await post('/v1/classify', 'GIF89a....', { ...auth, 'content-type': 'image/png' }), 415, 'UNSUPPORTED_IMAGE_FORMAT');
  });
  it('422 corrupt image (decoded in workerd)', async () => {
    const bad = encodePng({ rgba: new Uint8Array(40 * 30 * 4).fill(90), width: 40, height: 30 });
    for (let i = 41; i < bad.length - 12; i++) bad[i] ^= 0x5a;
    await expectError(await post(`/v1/classify?model=${TINY_ID}`, bad), 422, 'IMAGE_DECODE_FAILED');
    const jpg = encodeJpeg({ rgba: new Uint8Array(40 * 30 * 4).fill(90), width: 40, height: 30 });
    await expectError(await post(`/v1/classify?model=${TINY_ID}`, jpg.slice(0, jpg.length >> 1)), 422, 'IMAGE_DECODE_FAILED');
  });
  it('422 for every 1-11 byte prefix of a real JPEG, PNG and WebP file (truncated is 422, as in the SDK)', async () => {
    const rgba = new Uint8Array(16 * 16 * 4).map((_, i) => (i * 29) % 256);
    const files = [encodeJpeg({ rgba, width: 16, height: 16 }), encodePng({ rgba, width: 16, height: 16 }), new Uint8Array(readFileSync(join(FIXTURES, 'fmnist-t10k-0-lossless.webp')))];
    for (const file of files) {
      for (let n = 1; n <= 11; n++) await expectError(await post(`/v1/classify?model=${TINY_ID}`, file.slice(0, n)), 422, 'IMAGE_DECODE_FAILED');
    }
  });
  it('500 INTEGRITY_MISMATCH for a tampered model package, without internals', async () => {
    const body = encodePng({ rgba: new Uint8Array(32 * 32 * 4).fill(50), width: 32, height: 32 });
    const res = await post('/v1/classify?model=tiny-tampered', body);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'INTEGRITY_MISMATCH', message: expect.any(String) } });
  });
  it('CORS preflight', async () => {
    const res = await freshFetch(`${server.url}/v1/classify`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });
});

/** Sends the same bodies to workerd and to the in-process app (Node) and compares labels and scores. */
async function expectParity(options: { url: string; backend: string; expected: string }): Promise<void> {
  const local = createApp({ registry: createWorkerBackends() });
  const env = { ASSETS: dirAssets({ root: ASSETS_DIR }), MODELS: TINY_ID, DEFAULT_CLASSIFY_MODEL: TINY_ID, BACKEND: options.backend };
  const rgba = new Uint8Array(40 * 30 * 4).map((_, i) => (i * 13) % 256);
  const bodies: [string, Uint8Array<ArrayBuffer> | string][] = [
    ['png', encodePng({ rgba, width: 40, height: 30 })],
    ['jpeg', encodeJpeg({ rgba, width: 40, height: 30 })],
    ['webp', new Uint8Array(readFileSync(join(FIXTURES, 'fmnist-t10k-0-lossless.webp')))],
    ['json', JSON.stringify({ image: Array.from(encodePng({ rgba, width: 40, height: 30 })) })],
  ];
  for (const [kind, body] of bodies) {
    const res = await freshFetch(`${options.url}/v1/classify?model=${TINY_ID}&topK=10`, { method: 'POST', body, headers: auth });
    expect(res.status, kind).toBe(200);
    expect(res.headers.get('x-backend'), kind).toBe(options.expected);
    expect(res.headers.get('x-model')).toBe(TINY_ID);
    const remote = (await res.json()) as { label: string; score: number }[];
    const ref = await local.fetch(new Request('http://l/v1/classify?topK=10', { method: 'POST', body }), env, testCtx());
    expect(ref.headers.get('x-backend')).toBe(options.expected);
    const refBody = (await ref.json()) as { label: string; score: number }[];
    expect(remote.map((r) => r.label), kind).toEqual(refBody.map((r) => r.label));
    remote.forEach((r, i) => expect(r.score, kind).toBeCloseTo(refBody[i].score, 5));
  }
}

describe('onnxruntime-web in workerd (BACKEND=ort-wasm)', () => {
  let ortServer: DevServer;
  beforeAll(async () => {
    ortServer = await startDevServer({ assetsDir: ASSETS_DIR, vars: { MODELS: TINY_ID, API_TOKEN: TOKEN, BACKEND: 'ort-wasm' } });
  });
  afterAll(async () => {
    await ortServer?.stop();
  });
  it('runs ORT through the instantiate shim: same scores as in Node', async () => {
    await expectParity({ url: ortServer.url, backend: 'ort-wasm', expected: 'ort-wasm' });
  });
});

describe('lite Worker (wrangler --env lite: own engine only, no onnxruntime-web)', () => {
  let lite: DevServer;
  beforeAll(async () => {
    lite = await startDevServer({ assetsDir: ASSETS_DIR, env: 'lite', vars: { MODELS: TINY_ID, API_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await lite?.stop();
  });
  it('classifies on the own engine with the same scores as in Node', async () => {
    await expectParity({ url: lite.url, backend: 'wasm', expected: 'wasm' });
  });
  it('503 BACKEND_UNAVAILABLE when asked for onnxruntime-web, which the lite bundle does not ship', async () => {
    const stopped = lite;
    await stopped.stop();
    lite = await startDevServer({ assetsDir: ASSETS_DIR, env: 'lite', vars: { MODELS: TINY_ID, API_TOKEN: TOKEN, BACKEND: 'ort-wasm' } });
    const body = encodePng({ rgba: new Uint8Array(32 * 32 * 4).fill(7), width: 32, height: 32 });
    const res = await freshFetch(`${lite.url}/v1/classify?model=${TINY_ID}`, { method: 'POST', body, headers: auth });
    await expectError(res, 503, 'BACKEND_UNAVAILABLE');
  });
});
