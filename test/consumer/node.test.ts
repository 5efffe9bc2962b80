/** Plain Node ESM (and CommonJS) apps on the installed tarballs: built-in ids with no configuration. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { load } from '../../packages/core/src/index.js';
import { REPO_ROOT, run } from './consumer-app.js';

const json = (s: string) => JSON.parse(s.trim().split('\n').at(-1)!);

describe('Node app (installed from the tarballs)', () => {
  // The same calls on the repository's sources: the installed package must answer exactly the same.
  let expected: { top: unknown; boxes: unknown };
  beforeAll(async () => {
    const classifier = await load({ model: 'fmnist-resnet20' });
    const detector = await load({ model: 'fmnist-scenes-centernet' });
    expected = {
      top: await classifier.classify(readFileSync(join(REPO_ROOT, 'models/fmnist-resnet20/samples/bag.png')), { topK: 3 }),
      boxes: await detector.detect(readFileSync(join(REPO_ROOT, 'models/fmnist-scenes-centernet/samples/scene-0.png'))),
    };
  });

  it('classifies and detects with the built-in ids, no configuration, on the own engine', async () => {
    const r = await run('node', ['node-esm/classify-detect.mjs']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const got = json(r.stdout);
    expect(got.classifier).toBe('wasm');
    expect(got.detector).toBe('wasm');
    expect(got.top[0].label).toBe('Bag');
    expect(got.top).toEqual(expected.top);
    expect(got.boxes.length).toBeGreaterThan(0);
    expect(got.boxes).toEqual(expected.boxes);
  });

  it('the models README self-hosting recipe works for both models (modelBaseUrl), and readFileSync bytes load', async () => {
    const r = await run('node', ['node-esm/self-host.mjs']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const got = json(r.stdout);
    expect([got.classifier, got.detector, got.buffer]).toEqual(['wasm', 'wasm', 'wasm']);
    expect(got.top).toEqual(expected.top);
    expect(got.topBuffer).toEqual(expected.top);
    expect(got.boxes).toEqual(expected.boxes);
  });

  it('runs the onnxruntime-web backend with no configuration when the optional peer is installed', async () => {
    const r = await run('node', ['node-esm/with-ort.mjs']);
    expect(r.code).toBe(0);
    const got = json(r.stdout);
    expect(got.backend).toBe('ort-wasm');
    expect(got.top[0].label).toBe('Bag');
  });

  it('without onnxruntime-web, the ORT backend is BACKEND_UNAVAILABLE saying what to install', async () => {
    const r = await run('node', ['node-esm/without-ort.mjs']);
    expect(r.code).toBe(0);
    const got = json(r.stdout);
    expect(got).toMatchObject({ name: 'BackendError', code: 'BACKEND_UNAVAILABLE' });
    expect(got.message).toContain('npm install onnxruntime-web');
  });

  it('CommonJS require() works on Node >= 20.19 (module-sync), and older loaders get an explanation', async () => {
    const ok = await run('node', ['node-esm/require.cjs']);
    expect(ok.code).toBe(0);
    expect(json(ok.stdout)).toEqual({ load: 'function', errors: 'function' });
    // What a loader without require(esm) sees: the "require" condition's stub.
    const old = await run('node', ['--no-experimental-require-module', 'node-esm/require.cjs']);
    expect(old.code).not.toBe(0);
    expect(old.stderr).toContain('@resnet-edge/core is ESM-only');
  });
});
