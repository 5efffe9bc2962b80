/**
 * In-process handler tests: the real app, the real core runtime on onnxruntime-web's wasm backend and the
 * repo's real model packages (served by a directory-backed ASSETS binding). No mocked model.
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { load } from '@resnet-edge/core';
import { createApp } from './app.js';
import { createWorkerBackends } from './worker-backends.js';
import type { Env } from './env.js';
import { appCaller, expectJsonError } from './testing/app-client.js';
import { FIXTURES, dirAssets, encodeJpeg, encodePng, fmnistTestItems, grayToRgba, hasModel, MODELS_DIR } from './testing/fixtures.js';

const CLS = 'fmnist-resnet20';
const TOKEN = 'test-token-0123456789';
const app = createApp({ registry: createWorkerBackends() });
const env: Env = {
  ASSETS: dirAssets({ root: MODELS_DIR }),
  API_TOKEN: TOKEN,
  CORS_ORIGINS: 'https://app.example',
  MODELS: `${CLS},fmnist-scenes-centernet`,
  MAX_IMAGE_BYTES: '65536',
  MAX_PIXELS: '1000000',
  BACKEND: 'ort-wasm',
};
const auth = { authorization: `Bearer ${TOKEN}` };

const call = appCaller({ app, env, headers: auth });

const items = fmnistTestItems({ count: 24 });
const png = (i: number) => encodePng({ rgba: grayToRgba({ pixels: items[i].pixels, width: 28, height: 28 }), width: 28, height: 28 });
const jpg = (i: number) => encodeJpeg({ rgba: grayToRgba({ pixels: items[i].pixels, width: 28, height: 28 }), width: 28, height: 28 });

describe.skipIf(!hasModel({ id: CLS }))('POST /v1/classify with the real fmnist-resnet20', () => {
  let labels: string[] = [];
  let reportedTop1 = 0;
  beforeAll(async () => {
    const m = JSON.parse(readFileSync(join(MODELS_DIR, CLS, 'model.json'), 'utf8')) as { labels: string[]; metrics?: { int8Top1?: number } };
    labels = m.labels;
    reportedTop1 = m.metrics?.int8Top1 ?? 0;
  });

  it('classifies PNG bytes: Workers-AI shape, headers, sorted scores', async () => {
    const res = await call({ path: '/v1/classify', body: png(0), headers: { ...auth, 'content-type': 'text/plain' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-model')).toBe(CLS);
    expect(res.headers.get('x-backend')).toBe('ort-wasm');
    expect(res.headers.get('server-timing')).toMatch(/parse;dur=[\d.]+, model;dur=[\d.]+, infer;dur=[\d.]+, total;dur=/);
    const body = (await res.json()) as { label: string; score: number }[];
    expect(body).toHaveLength(5);
    for (const r of body) {
      expect(Object.keys(r).sort()).toEqual(['label', 'score']);
      expect(labels).toContain(r.label);
    }
    for (let i = 1; i < body.length; i++) expect(body[i - 1].score).toBeGreaterThanOrEqual(body[i].score);
  });

  it.each(['ort-wasm', 'wasm'] as const)('answers exactly what core load()+classify() answers for the same bytes (%s)', async (backend) => {
    // The SDK path, straight from models/ in Node: the worker must add nothing and lose nothing.
    const sdk = await load({ model: CLS, backend, registry: createWorkerBackends() });
    for (let i = 0; i < 8; i++) {
      const res = await call({ path: '/v1/classify?topK=10', body: png(i), env: { ...env, BACKEND: backend } });
      expect(res.headers.get('x-backend')).toBe(backend);
      expect(await res.json()).toEqual(await sdk.classify(png(i), { topK: 10 }));
    }
    await sdk.dispose();
  });

  it.each(['ort-wasm', 'wasm'] as const)('is as accurate on 200 Fashion-MNIST test images as the manifest reports (%s)', async (backend) => {
    const many = fmnistTestItems({ count: 200 });
    let correct = 0;
    for (const it of many) {
      const body = encodePng({ rgba: grayToRgba({ pixels: it.pixels, width: 28, height: 28 }), width: 28, height: 28 });
      const [top] = (await (await call({ path: '/v1/classify?topK=1', body, env: { ...env, BACKEND: backend } })).json()) as { label: string }[];
      if (top.label === labels[it.label]) correct++;
    }
    // 200 images: binomial sd <= 3.6 points; 10 points of slack keeps this about the API, not the model's luck.
    expect((correct / 200) * 100).toBeGreaterThanOrEqual(reportedTop1 - 10);
  });

  it('accepts JPEG bytes and Workers-AI JSON {"image": number[]} with options in the body', async () => {
    const a = (await (await call({ path: '/v1/classify?topK=3', body: png(1) })).json()) as { label: string }[];
    expect(a).toHaveLength(3);
    const j = await call({ path: '/v1/classify?topK=3', body: jpg(1) });
    expect(j.status).toBe(200);
    expect(await j.json()).toHaveLength(3);
    const json = JSON.stringify({ image: Array.from(png(1)), topK: 2, model: CLS });
    const res = await call({ path: '/v1/classify', body: json, headers: { ...auth, 'content-type': 'application/octet-stream' } });
    expect(res.status).toBe(200);
    const b = (await res.json()) as { label: string }[];
    expect(b).toEqual(a.slice(0, 2));
  });

  it('accepts real WebP files: lossless WebP scores exactly like the PNG of the same pixels', async () => {
    for (const [file, i] of [['fmnist-t10k-0-lossless.webp', 0], ['fmnist-t10k-1-lossless.webp', 1]] as const) {
      const res = await call({ path: '/v1/classify?topK=10', body: new Uint8Array(readFileSync(join(FIXTURES, file))) });
      expect(res.status, file).toBe(200);
      const fromPng = await (await call({ path: '/v1/classify?topK=10', body: png(i) })).json();
      expect(await res.json(), file).toEqual(fromPng);
    }
    const lossy = await call({ path: '/v1/classify', body: new Uint8Array(readFileSync(join(FIXTURES, 'fmnist-t10k-0-lossy.webp'))) });
    expect(lossy.status).toBe(200);
  });

  it('loads the model once per isolate and lists it as loaded', async () => {
    const res = await call({ path: '/v1/models', method: 'GET' });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { id: string; task?: string; loaded?: boolean; labels?: string[] }[] };
    const m = data.find((d) => d.id === CLS)!;
    expect(m.task).toBe('classification');
    expect(m.labels).toEqual(labels);
    expect(m.loaded).toBe(true);
  });

  it('rejects a detection request on a classification model (400)', async () => {
    await expectJsonError(await call({ path: `/v1/detect?model=${CLS}`, body: png(0) }), 400, 'INVALID_ARGUMENT');
  });

  it('422 for a corrupt PNG (valid header, garbage pixel data)', async () => {
    const bytes = png(2).slice();
    for (let i = 40; i < bytes.length - 12; i++) bytes[i] = (i * 7919) & 0xff;
    await expectJsonError(await call({ path: '/v1/classify', body: bytes }), 422, 'IMAGE_DECODE_FAILED');
  });

  it('422 for a truncated JPEG', async () => {
    await expectJsonError(await call({ path: '/v1/classify', body: jpg(3).slice(0, 200) }), 422, 'IMAGE_DECODE_FAILED');
  });

  it('500 with no internals when a deployed package fails its integrity check', async () => {
    const root = mkdtempSync(join(tmpdir(), 'resnet-edge-assets-'));
    const manifest = JSON.parse(readFileSync(join(MODELS_DIR, CLS, 'model.json'), 'utf8')) as { id: string; files: { path: string; sha256: string }[] };
    mkdirSync(join(root, 'tampered'));
    for (const f of manifest.files) {
      mkdirSync(join(root, 'tampered', f.path, '..'), { recursive: true });
      copyFileSync(join(MODELS_DIR, CLS, f.path), join(root, 'tampered', f.path));
      f.sha256 = '0'.repeat(64);
    }
    manifest.id = 'tampered';
    writeFileSync(join(root, 'tampered', 'model.json'), JSON.stringify(manifest));
    const res = await call({ path: '/v1/classify?model=tampered', body: png(0), env: { ...env, ASSETS: dirAssets({ root }), MODELS: 'tampered' } });
    const body = await expectJsonError(res, 500, 'INTEGRITY_MISMATCH');
    expect(JSON.stringify(body)).not.toContain(root);
  });
});

describe.skipIf(!hasModel({ id: 'fmnist-scenes-centernet' }))('POST /v1/detect with the real fmnist-scenes-centernet', () => {
  it('finds one item placed on a 96x96 canvas, boxes in original pixels', async () => {
    // Scale item 0 (nearest) to 40x40 at (30, 20) on a black 96x96 canvas.
    const canvas = new Uint8Array(96 * 96);
    for (let y = 0; y < 40; y++) for (let x = 0; x < 40; x++) canvas[(20 + y) * 96 + 30 + x] = items[0].pixels[Math.floor((y * 28) / 40) * 28 + Math.floor((x * 28) / 40)];
    const body = encodePng({ rgba: grayToRgba({ pixels: canvas, width: 96, height: 96 }), width: 96, height: 96 });
    const res = await call({ path: '/v1/detect?threshold=0.3', body });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-model')).toBe('fmnist-scenes-centernet');
    const dets = (await res.json()) as { label: string; score: number; box: { xmin: number; ymin: number; xmax: number; ymax: number } }[];
    expect(dets.length).toBeGreaterThanOrEqual(1);
    const best = dets[0];
    expect(best.score).toBeGreaterThanOrEqual(0.3);
    const iw = Math.max(0, Math.min(best.box.xmax, 70) - Math.max(best.box.xmin, 30));
    const ih = Math.max(0, Math.min(best.box.ymax, 60) - Math.max(best.box.ymin, 20));
    const union = (best.box.xmax - best.box.xmin) * (best.box.ymax - best.box.ymin) + 1600 - iw * ih;
    expect((iw * ih) / union).toBeGreaterThan(0.3);
  });
  it('nms and iou reach detect(): each mode answers what core gives for the same options, and they differ', async () => {
    // Four items (ids 0-3, nearest-scaled to 36 px) in the quadrants of a 96x96 canvas; a very low threshold (0.01) and
    // IoU 0.05 (the two-stage detector gives an item one label): low-score boxes overlapping an item with another label
    // survive per-class NMS only.
    const canvas = new Uint8Array(96 * 96);
    [[6, 6], [54, 6], [6, 54], [54, 54]].forEach(([ox, oy], k) => {
      for (let y = 0; y < 36; y++) for (let x = 0; x < 36; x++) canvas[(oy + y) * 96 + ox + x] = items[k].pixels[Math.floor((y * 28) / 36) * 28 + Math.floor((x * 28) / 36)];
    });
    const rgba = grayToRgba({ pixels: canvas, width: 96, height: 96 });
    const body = encodePng({ rgba, width: 96, height: 96 });
    const path = (nms: string) => `/v1/detect?threshold=0.01&nms=${nms}&iou=0.05&topK=100`;
    const backend = (await call({ path: path('per-class'), body })).headers.get('x-backend') as 'wasm' | 'ort-wasm';
    const model = await load({ model: 'fmnist-scenes-centernet', backend }); // the Worker's backend: same floats
    const got: Record<string, unknown[]> = {};
    try {
      for (const nms of ['class-agnostic', 'per-class'] as const) {
        const res = await call({ path: path(nms), body });
        expect(res.status).toBe(200);
        got[nms] = (await res.json()) as unknown[];
        const want = await model.detect({ data: rgba, width: 96, height: 96 }, { scoreThreshold: 0.01, nms, iouThreshold: 0.05, maxDetections: 100 });
        expect(got[nms]).toEqual(JSON.parse(JSON.stringify(want)));
      }
    } finally {
      await model.dispose();
    }
    expect(got['per-class'].length).toBeGreaterThan(got['class-agnostic'].length);
  });
});
