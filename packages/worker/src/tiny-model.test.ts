/**
 * The full request path with a real (small, untrained) ONNX model, independent of the trained packages:
 * assets binding -> manifest validation -> sha256 check -> decode -> ORT wasm -> Workers-AI response.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { createWorkerBackends } from './worker-backends.js';
import type { Env } from './env.js';
import {
  dirAssets,
  encodePng,
  FIXTURES,
  squaresImage,
  testCtx,
  TINY_DET_ID,
  TINY_ID,
  writeTinyDetectorPackage,
  writeTinyPackage,
} from './testing/fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'resnet-edge-tiny-'));
writeTinyPackage({ root });
writeTinyPackage({ root, id: 'tiny-split', parts: 3 });
const app = createApp({ registry: createWorkerBackends() });
const env: Env = { ASSETS: dirAssets({ root }), MODELS: `${TINY_ID},tiny-split`, DEFAULT_CLASSIFY_MODEL: TINY_ID, BACKEND: 'ort-wasm' };
const rgba = new Uint8Array(40 * 30 * 4).map((_, i) => (i * 7) % 256);
const png = encodePng({ rgba, width: 40, height: 30 });
const post = (path: string, body: BodyInit, e: Env = env) => app.fetch(new Request(`http://localhost${path}`, { method: 'POST', body }), e, testCtx());

describe('classify through the real runtime (tiny ONNX graph)', () => {
  it('returns a softmax top-k in Workers-AI shape with x-backend ort-wasm', async () => {
    const res = await post('/v1/classify?topK=10', png);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-backend')).toBe('ort-wasm');
    const out = (await res.json()) as { label: string; score: number }[];
    expect(out).toHaveLength(10);
    expect(new Set(out.map((o) => o.label)).size).toBe(10);
    expect(out.reduce((n, o) => n + o.score, 0)).toBeCloseTo(1, 4);
    for (let i = 1; i < out.length; i++) expect(out[i - 1].score).toBeGreaterThanOrEqual(out[i].score);
  });
  it('gives the same answer for the same pixels as PNG bytes and as a JSON byte array', async () => {
    const a = await (await post('/v1/classify?topK=3', png)).json();
    const b = await (await post('/v1/classify', JSON.stringify({ image: Array.from(png), topK: 3 }))).json();
    expect(b).toEqual(a);
  });
  it('loads each model once per isolate, also under concurrent first requests', async () => {
    const base = dirAssets({ root });
    const fetched: string[] = [];
    const counting = { fetch: (input: Request | string | URL) => (fetched.push(new URL(input instanceof Request ? input.url : String(input)).pathname), base.fetch(input)) };
    const fresh = createApp({ registry: createWorkerBackends() });
    const e = { ...env, ASSETS: counting };
    const call = () => fresh.fetch(new Request('http://l/v1/classify', { method: 'POST', body: png }), e, testCtx());
    const first = await Promise.all([call(), call(), call(), call()]);
    expect(first.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect((await call()).status).toBe(200);
    expect(fetched.filter((p) => p.endsWith('/model.onnx'))).toEqual([`/${TINY_ID}/model.onnx`]);
  });
  it('loads a model split into `part` files (concatenated, each part integrity-checked)', async () => {
    const whole = await (await post('/v1/classify?topK=10', png)).json();
    const res = await post('/v1/classify?topK=10&model=tiny-split', png);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-model')).toBe('tiny-split');
    expect(await res.json()).toEqual(whole);
  });
  it('500 INTEGRITY_MISMATCH when one part of a split model is corrupt', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'resnet-edge-split-bad-'));
    writeTinyPackage({ root: bad, id: 'tiny-split', parts: 3 });
    const p1 = join(bad, 'tiny-split', 'model.onnx.part1');
    const b = readFileSync(p1);
    b[10] ^= 1;
    writeFileSync(p1, b);
    const res = await post('/v1/classify?model=tiny-split', png, { ...env, ASSETS: dirAssets({ root: bad }) });
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INTEGRITY_MISMATCH');
  });
  it('decodes real WebP', async () => {
    const res = await post('/v1/classify?topK=1', new Uint8Array(readFileSync(join(FIXTURES, 'fmnist-t10k-1-lossy.webp'))));
    expect(res.status).toBe(200);
  });
  it('500 INTEGRITY_MISMATCH (no internals) when the model file does not match its manifest', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'resnet-edge-tiny-bad-'));
    writeTinyPackage({ root: bad });
    const mpath = join(bad, TINY_ID, 'model.json');
    const m = JSON.parse(readFileSync(mpath, 'utf8')) as { files: { sha256: string }[] };
    m.files[0].sha256 = 'f'.repeat(64);
    writeFileSync(mpath, JSON.stringify(m));
    const res = await post('/v1/classify', png, { ...env, ASSETS: dirAssets({ root: bad }) });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'INTEGRITY_MISMATCH', message: expect.any(String) } });
    expect(text).not.toContain(bad);
  });
  it('422 for a corrupt PNG and 400 for a detection request on a classifier', async () => {
    const bad = png.slice();
    for (let i = 41; i < bad.length - 12; i++) bad[i] ^= 0x5a;
    const r1 = await post('/v1/classify', bad);
    expect(r1.status).toBe(422);
    expect(((await r1.json()) as { error: { code: string } }).error.code).toBe('IMAGE_DECODE_FAILED');
    const r2 = await post(`/v1/detect?model=${TINY_ID}`, png);
    expect(r2.status).toBe(400);
  });
  it('runs on the own int8 wasm engine (BACKEND=wasm, and first under auto) close to onnxruntime-web', async () => {
    const ort = (await (await post('/v1/classify?topK=10', png)).json()) as { label: string; score: number }[];
    for (const backend of ['wasm', 'auto']) {
      const res = await post('/v1/classify?topK=10', png, { ...env, BACKEND: backend });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-backend')).toBe('wasm');
      const own = (await res.json()) as { label: string; score: number }[];
      const byLabel = new Map(own.map((o) => [o.label, o.score]));
      for (const o of ort) expect(Math.abs(byLabel.get(o.label)! - o.score), o.label).toBeLessThan(0.05);
    }
  });
});

describe('detect through the real runtime (hand-built CenterNet graph)', () => {
  const droot = mkdtempSync(join(tmpdir(), 'resnet-edge-tiny-det-'));
  writeTinyDetectorPackage({ root: droot });
  const denv: Env = { ASSETS: dirAssets({ root: droot }), MODELS: TINY_DET_ID, DEFAULT_DETECT_MODEL: TINY_DET_ID };
  // 64x32 original, letterboxed to 32x32 at scale 0.5: two 8 px squares, centres (12, 12) and (44, 12), each
  // filling exactly one stride-4 cell of the 32x32 input.
  const img = encodePng({ rgba: squaresImage({ width: 64, height: 32, squares: [[8, 8, 8], [40, 8, 8]] }), width: 64, height: 32 });
  type Det = { label: string; score: number; box: { xmin: number; ymin: number; xmax: number; ymax: number } };

  it.each(['ort-wasm', 'wasm'])('returns Workers-AI boxes in original-image pixels (%s)', async (backend) => {
    const res = await post('/v1/detect', img, { ...denv, BACKEND: backend });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-backend')).toBe(backend);
    expect(res.headers.get('x-model')).toBe(TINY_DET_ID);
    const dets = ((await res.json()) as Det[]).sort((a, b) => a.box.xmin - b.box.xmin);
    expect(dets.map((d) => d.label)).toEqual(['square', 'square']);
    for (const [i, cx] of [12, 44].entries()) {
      const { box, score } = dets[i];
      expect(Object.keys(dets[i]).sort()).toEqual(['box', 'label', 'score']);
      expect(score).toBeGreaterThan(0.9);
      // The head predicts 8x8 input px = 16x16 original px, centred on a stride-4 cell (8 original px).
      expect(box.xmax - box.xmin).toBeCloseTo(16, 3);
      expect(box.ymax - box.ymin).toBeCloseTo(16, 3);
      expect((box.xmin + box.xmax) / 2).toBeCloseTo(cx, 3);
      expect((box.ymin + box.ymax) / 2).toBeCloseTo(12, 3);
    }
  });
  it('applies topK (max detections) and threshold from the query and JSON', async () => {
    const one = (await (await post('/v1/detect?topK=1', img, denv)).json()) as Det[];
    expect(one).toHaveLength(1);
    const none = (await (await post('/v1/detect', JSON.stringify({ image: Array.from(img), threshold: 0.99 }), denv)).json()) as Det[];
    expect(none).toHaveLength(0);
  });
});
