// load() end to end on the tiny fixture: options that must reach the backend, and the label/output size checks.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { createBackendRegistry } from '../backends/backend-registry.js';
import { createOrtBackend } from '../backends/ort/ort-backend.js';
import { createWasmBackend } from '../backends/wasm/wasm-backend.js';
import { decodeModel, encodeModel } from '../onnx/index.js';
import { sha256Hex } from '../package/integrity.js';
import type { ModelManifest } from '../package/manifest-types.js';
import { TINY_OP13_URL, tinyOp13Manifest } from '../testing/test-manifest.js';
import { load } from './load.js';

const bytes = new Uint8Array(readFileSync(TINY_OP13_URL));
const image = { data: new Float32Array(3 * 32 * 32).fill(0.25), dims: [1, 3, 32, 32] };

async function manifest(labels?: string[]): Promise<ModelManifest> {
  const m = tinyOp13Manifest({ id: 'tiny', files: [{ path: 'model.onnx', role: 'model', bytes: bytes.byteLength, sha256: await sha256Hex(bytes) }] });
  return labels ? { ...m, labels } : m;
}

describe('load()', () => {
  it('numThreads reaches onnxruntime-web (env.wasm.numThreads, which ORT reads when its first session starts)', async () => {
    expect(ort.env.wasm.numThreads).not.toBe(2);
    const registry = createBackendRegistry();
    registry.register(createOrtBackend({ device: 'wasm', ort }));
    const model = await load({ model: { manifest: await manifest(), bytes }, backend: 'ort-wasm', numThreads: 2, registry });
    expect(model.backend).toBe('ort-wasm');
    expect(ort.env.wasm.numThreads).toBe(2);
    expect(await model.classify(image, { topK: 1 })).toHaveLength(1);
    await model.dispose();
  });

  it('a model with more outputs than the manifest has labels is refused at load when the graph declares it', async () => {
    const registry = createBackendRegistry();
    registry.register(createWasmBackend({ maxFloatMacs: Infinity }));
    await expect(load({ model: { manifest: await manifest(['a', 'b', 'c']), bytes }, backend: 'wasm', registry }))
      .rejects.toMatchObject({ code: 'INVALID_MODEL', message: expect.stringContaining('10 classes, the manifest lists 3 labels') });
  });

  it('... and reported at the run, not cut to the labels, when the graph leaves the output size open', async () => {
    const m = decodeModel(bytes);
    m.graph!.output[0].type!.tensorType!.shape!.dim = [{ dimParam: 'N' }, { dimParam: 'classes' }];
    const open = encodeModel(m);
    const registry = createBackendRegistry();
    registry.register(createWasmBackend({ maxFloatMacs: Infinity }));
    const man = { ...(await manifest(['a', 'b', 'c'])), files: [{ path: 'model.onnx', role: 'model' as const, bytes: open.byteLength, sha256: await sha256Hex(open) }] };
    const model = await load({ model: { manifest: man, bytes: open }, backend: 'wasm', registry });
    await expect(model.classify(image)).rejects.toMatchObject({ code: 'INFERENCE_FAILED', message: expect.stringContaining('10 scores but the manifest lists 3 labels') });
    await model.dispose();
  });
});
