// @vitest-environment happy-dom
// Hook options to core's real runtime (load() + the own engine) in a MessageChannel worker: `preprocess` (maxPixels
// is the setting whose effect shows in the answer: IMAGE_TOO_LARGE from the header check, or a label), detection's
// `nms`/`iouThreshold`, and load()'s options for models without a manifest (`labels`, `preset`, ...).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanup, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { load } from '@resnet-edge/core';
import { channelWorker, type ChannelWorker } from '@resnet-edge/core/testing';
import { createWorkerApi, type RuntimeLoad } from './core-web-worker.js';
import { ResNetProvider, useClassification, useDetection, useResNet } from './index.js';

// Files are read here with plain paths: happy-dom's URL class is not one node:fs accepts.
const models = join(dirname(fileURLToPath(import.meta.url)), '../../../models');
// 28 x 28 = 784 pixels. Calls through useResNet transfer (detach) their buffer, so each takes a copy.
const bag = new Uint8Array(readFileSync(join(models, 'fmnist-resnet20/samples/bag.png')));
/**
 * The built-in model as an in-memory package (one object per model, so stores are shared by identity): the model file,
 * then a two-stage detector's refine file, as `{ manifest, bytes }` takes them.
 */
function inMemory(id: string) {
  const manifest = JSON.parse(readFileSync(join(models, id, 'model.json'), 'utf8'));
  const files = manifest.files.filter((f: { role: string }) => f.role === 'model' || f.role === 'refine');
  return { manifest, bytes: new Uint8Array(Buffer.concat(files.map((f: { path: string }) => readFileSync(join(models, id, f.path))))) };
}
const classifier = inMemory('fmnist-resnet20');
const detector = inMemory('fmnist-scenes-centernet');

function harness() {
  const workers: ChannelWorker[] = [];
  const createWorker = () => {
    const w = channelWorker({ api: createWorkerApi({ load: load as unknown as RuntimeLoad }) });
    workers.push(w);
    return w;
  };
  const wrapper = ({ children }: { children?: ReactNode }) => <ResNetProvider config={{ createWorker, cache: false }}>{children}</ResNetProvider>;
  return { workers, wrapper };
}

afterEach(() => cleanup());

describe('preprocess option (real runtime in the worker)', () => {
  it('useClassification: applied to the query, and a change re-runs it on the same worker', async () => {
    const h = harness();
    const { result, rerender } = renderHook(({ maxPixels }: { maxPixels: number }) => useClassification(bag, { model: classifier, preprocess: { maxPixels } }), {
      wrapper: h.wrapper,
      initialProps: { maxPixels: 100 },
    });
    await waitFor(() => expect(result.current.status).toBe('error'), { timeout: 60_000 });
    expect(result.current.error).toMatchObject({ code: 'IMAGE_TOO_LARGE', details: { maxPixels: 100 } });
    rerender({ maxPixels: 784 });
    await waitFor(() => expect(result.current.status).toBe('success'), { timeout: 60_000 });
    expect(result.current.data?.[0]?.label).toBe('Bag');
    expect(h.workers).toHaveLength(1);
  });

  it('useResNet: the hook setting applies to every call and a call overrides it; classify stays stable', async () => {
    const h = harness();
    // A new but equal object literal on every render, as components write it.
    const { result, rerender } = renderHook(() => useResNet({ model: classifier, preprocess: { maxPixels: 100, decode: 'exact' } }), {
      wrapper: h.wrapper,
    });
    await waitFor(() => expect(result.current.status).toBe('ready'), { timeout: 60_000 });
    const classify = result.current.classify;
    rerender();
    expect(result.current.classify).toBe(classify);
    const err = await classify(bag.slice()).catch((e) => e);
    expect(err).toMatchObject({ code: 'IMAGE_TOO_LARGE', details: { maxPixels: 100 } });
    const top = await classify(bag.slice(), { preprocess: { maxPixels: 784 } });
    expect(top[0]?.label).toBe('Bag');
    // Without any hook setting the model's defaults (48 MP) hold, and a call's setting still applies.
    const plain = renderHook(() => useResNet({ model: classifier }), { wrapper: h.wrapper });
    await waitFor(() => expect(plain.result.current.status).toBe('ready'), { timeout: 60_000 });
    expect((await plain.result.current.classify(bag.slice()))[0]?.label).toBe('Bag');
    expect(await plain.result.current.classify(bag.slice(), { preprocess: { maxPixels: 783 } }).catch((e) => e.code)).toBe('IMAGE_TOO_LARGE');
    expect(h.workers).toHaveLength(1); // one model, one worker, whatever the settings
  });

  it('useDetection and useResNet().detect pass it to the detector', async () => {
    const h = harness();
    const q = renderHook(() => useDetection(bag, { model: detector, preprocess: { maxPixels: 500 } }), { wrapper: h.wrapper });
    await waitFor(() => expect(q.result.current.status).toBe('error'), { timeout: 60_000 });
    expect(q.result.current.error).toMatchObject({ code: 'IMAGE_TOO_LARGE', details: { maxPixels: 500 } });
    const r = renderHook(() => useResNet({ model: detector, task: 'detection' }), { wrapper: h.wrapper });
    await waitFor(() => expect(r.result.current.status).toBe('ready'), { timeout: 60_000 });
    expect(await r.result.current.detect(bag.slice(), { preprocess: { maxPixels: 10 } }).catch((e) => e.details)).toMatchObject({ maxPixels: 10 });
    expect(Array.isArray(await r.result.current.detect(bag.slice()))).toBe(true);
  });
});

describe('detection options (real runtime in the worker)', () => {
  it('useDetection: nms and iouThreshold reach the detector; each mode answers what core gives', async () => {
    const scene = new Uint8Array(readFileSync(join(models, 'fmnist-scenes-centernet/samples/scene-3.png')));
    const model = await load({ manifest: detector.manifest, bytes: detector.bytes, backend: 'wasm' });
    const h = harness();
    const counts: Record<string, number> = {};
    try {
      for (const nms of ['class-agnostic', 'per-class'] as const) {
        // IoU 0.05: the two-stage detector gives an item one label; low-score overlapping boxes of another label stay per-class only.
        const opts = { scoreThreshold: 0.01, iouThreshold: 0.05, nms };
        const q = renderHook(() => useDetection(scene, { model: detector, backend: 'wasm', ...opts }), { wrapper: h.wrapper });
        await waitFor(() => expect(q.result.current.status, String(q.result.current.error)).toBe('success'), { timeout: 60_000 });
        expect(q.result.current.data).toEqual(await model.detect(scene.slice(), opts));
        counts[nms] = q.result.current.data!.length;
      }
    } finally {
      await model.dispose();
    }
    expect(counts['per-class']).toBeGreaterThan(counts['class-agnostic']);
  });
});

describe('load options of models without a manifest (real runtime in the worker)', () => {
  it('an ONNX URL with labels and a preset: classified as the package classifies it; options key the store', async () => {
    // Served over HTTP: inside happy-dom core takes the browser path (fetch), which has no file: URLs.
    const server = createServer((req, res) => {
      res.setHeader('access-control-allow-origin', '*');
      try {
        res.end(readFileSync(join(models, decodeURIComponent(new URL(req.url!, 'http://x').pathname))));
      } catch {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const file = classifier.manifest.files.find((f: { role: string }) => f.role === 'model').path;
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fmnist-resnet20/${file}`;
    const labels = classifier.manifest.labels as string[];
    const h = harness();
    const ref = await load({ manifest: classifier.manifest, bytes: classifier.bytes, backend: 'wasm' });
    try {
      // Inline literals, as components write them: equal contents must not make a new worker per render.
      const q = renderHook(() => useClassification(bag, { model: url, labels: [...labels], preset: 'fmnist', backend: 'wasm' }), { wrapper: h.wrapper });
      await waitFor(() => expect(q.result.current.status, String(q.result.current.error)).toBe('success'), { timeout: 60_000 });
      q.rerender();
      expect(q.result.current.data).toEqual(await ref.classify(bag.slice(), { topK: 5 }));
      expect(q.result.current.data?.[0]?.label).toBe('Bag');
      expect(h.workers).toHaveLength(1);
      // Without labels the same URL is another configuration (its own worker), and core says what is missing.
      const bare = renderHook(() => useClassification(bag, { model: url, preset: 'fmnist', backend: 'wasm' }), { wrapper: h.wrapper });
      await waitFor(() => expect(bare.result.current.status).toBe('error'), { timeout: 60_000 });
      expect(String(bare.result.current.error)).toMatch(/Pass labels/);
      expect(h.workers).toHaveLength(2);
    } finally {
      await ref.dispose();
      server.close();
    }
  });
});
