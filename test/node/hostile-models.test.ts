// Named regression tests for the hostile models of the hardening issue (#14): every mutation of the shipped models in
// core's testing/hostile-models.ts is refused at load with INVALID_MODEL (and the reason) by the own engine,
// onnxruntime-web and `auto` alike; a run that yields NaN/Inf is INFERENCE_FAILED, never `score: null`; onnxruntime's
// messages reach callers without its build paths.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackendError, createOrtBackend, load, ModelLoadError, sha256Hex, type ModelManifest } from '../../packages/core/src/index.js';
import { decodeModel, encodeModel } from '../../packages/core/src/onnx/index.js';
import { hostileModels, type ModelBase } from '../../packages/core/src/testing/hostile-models.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const BACKENDS = ['wasm', 'ort-wasm', 'auto'] as const;

const baseBytes = (b: ModelBase) => new Uint8Array(readFileSync(join(ROOT, 'models', b.id, b.file)));

/** A `{ manifest, bytes }` source for mutated bytes of a shipped model. */
async function source(base: ModelBase, bytes: Uint8Array): Promise<{ manifest: ModelManifest; bytes: Uint8Array }> {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'models', base.id, 'model.json'), 'utf8')) as ModelManifest;
  manifest.files = [{ path: 'model.onnx', role: 'model', bytes: bytes.length, sha256: await sha256Hex(bytes) }];
  // The mutated graph is what is under test: a two-stage detector is loaded without its second stage.
  if (manifest.detection) delete manifest.detection.refine;
  return { manifest, bytes };
}

describe('hostile models: INVALID_MODEL at load, or INFERENCE_FAILED at the run, on every backend', () => {
  const sample = new Uint8Array(readFileSync(join(ROOT, 'models/fmnist-resnet20/samples/bag.png')));
  for (const c of hostileModels()) {
    it(`${c.name} (was: ${c.note})`, async () => {
      const m = decodeModel(baseBytes(c.base));
      c.mutate(m);
      const src = await source(c.base, encodeModel(m));
      for (const backend of BACKENDS) {
        if (c.stage === 'run') {
          const model = await load({ model: src, backend });
          const err = await model.classify(sample).catch((e: unknown) => e);
          await model.dispose();
          expect(err, backend).toBeInstanceOf(BackendError);
          expect((err as BackendError).code, backend).toBe('INFERENCE_FAILED');
          expect((err as Error).message).toMatch(/non-finite/);
          continue;
        }
        const err = await load({ model: src, backend }).then((model) => model.dispose().then(() => undefined), (e: unknown) => e);
        expect(err, backend).toBeInstanceOf(ModelLoadError);
        expect((err as ModelLoadError).code, `${backend}: ${(err as Error).message}`).toBe('INVALID_MODEL');
        // The own validation says why (onnxruntime's shape inference, where it refuses first, has its own words).
        if (backend === 'wasm') expect((err as ModelLoadError).details?.reason, (err as Error).message).toBe(c.reason);
        expect((err as Error).message).not.toMatch(/\.(h|cc|cpp):\d+/);
      }
    });
  }

  it('the unmutated models still load and classify on every backend', async () => {
    const base: ModelBase = { id: 'fmnist-resnet20', file: 'model.int8.onnx' };
    const src = await source(base, baseBytes(base));
    const sample = new Uint8Array(readFileSync(join(ROOT, 'models/fmnist-resnet20/samples/bag.png')));
    for (const backend of BACKENDS) {
      const model = await load({ model: src, backend });
      expect((await model.classify(sample, { topK: 1 }))[0].label).toBe('Bag');
      await model.dispose();
    }
  });
});

describe('non-finite input tensors are INVALID_TENSOR on every backend', () => {
  for (const backend of ['wasm', 'ort-wasm'] as const) {
    it(`NaN and Infinity in a preprocessed tensor (${backend}); the model keeps working`, async () => {
      const model = await load({ model: 'fmnist-resnet20', backend });
      for (const bad of [NaN, Infinity, -Infinity]) {
        const data = new Float32Array(28 * 28).fill(0.5);
        data[100] = bad;
        const err = await model.classify({ data, dims: [1, 1, 28, 28] }).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: 'INVALID_TENSOR' });
      }
      expect((await model.classify({ data: new Float32Array(28 * 28).fill(0.5), dims: [1, 1, 28, 28] }))[0].score).toBeGreaterThan(0);
      await model.dispose();
    });
  }
});

describe("onnxruntime's refusals: trimmed and classified", () => {
  it('opset 27 and IR version 100 straight into onnxruntime-web: INVALID_MODEL without build paths', async () => {
    const backend = createOrtBackend({ device: 'wasm' });
    for (const mutate of [(m: ReturnType<typeof decodeModel>) => void (m.opsetImport[0].version = 27), (m: ReturnType<typeof decodeModel>) => void (m.irVersion = 100)]) {
      const m = decodeModel(baseBytes({ id: 'fmnist-resnet20', file: 'model.int8.onnx' }));
      mutate(m);
      const err = await backend.createSession({ modelBytes: encodeModel(m) } as never).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'INVALID_MODEL' });
      const msg = (err as Error).message;
      expect(msg).toMatch(/opset|IR version/i);
      expect(msg).not.toMatch(/\/mnt\/|onnxruntime_src|\.(h|cc):\d+|onnxruntime::/);
    }
  });
});
