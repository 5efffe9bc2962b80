// The worker API around the real runtime (core's load() + onnxruntime), over a real comlink channel.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImageInputError } from '../errors.js';
import { load } from '../index.js';
import type { ModelManifest } from '../package/manifest-types.js';
import { sha256Hex } from '../package/integrity.js';
import { TINY_OP13_URL, tinyOp13Manifest } from '../testing/test-manifest.js';
import { ModelStore } from './model-store.js';
import type { RuntimeLoad } from './protocol.js';
import { channelWorker } from '../testing/channel-worker.js';
import { createWorkerApi } from './worker-api.js';

const bytes = new Uint8Array(readFileSync(TINY_OP13_URL));

async function tinyPackage(): Promise<{ manifest: ModelManifest; bytes: Uint8Array }> {
  const files: ModelManifest['files'] = [{ path: 'tiny-op13.onnx', role: 'model', bytes: bytes.byteLength, sha256: await sha256Hex(bytes) }];
  return { manifest: tinyOp13Manifest({ id: 'tiny-op13', files }), bytes };
}

function gradient(w: number, h: number) {
  const data = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) data.set([(i * 7) % 256, (i * 3) % 256, (i * 11) % 256, 255], i * 4);
  return { width: w, height: h, data };
}

describe('worker API with the real runtime', () => {
  it('gives the same answers as load() in this thread, and keeps error classes', async () => {
    const pkg = await tinyPackage();
    const direct = await load({ model: pkg, backend: 'ort-wasm' });
    const store = new ModelStore({
      load: { model: pkg, backend: 'ort-wasm', cache: false },
      createWorker: () => channelWorker({ api: createWorkerApi({ load: load as unknown as RuntimeLoad }) }),
    });
    const release = store.acquire();
    try {
      const image = gradient(40, 30);
      const expected = await direct.classify({ ...image, data: image.data.slice() }, { topK: 3 });
      const got = await store.classifyTimed(image, { topK: 3 });
      expect(image.data.byteLength).toBe(0); // pixels were transferred, not copied
      expect(got.result).toEqual(expected);
      expect(store.getSnapshot()).toMatchObject({ status: 'ready', backend: 'ort-wasm' });
      const err = await store.classify(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])).catch((e) => e);
      expect(err).toBeInstanceOf(ImageInputError);
      expect(['IMAGE_DECODE_FAILED', 'UNSUPPORTED_IMAGE_FORMAT']).toContain(err.code);
    } finally {
      release();
      await direct.dispose();
    }
  });
});
