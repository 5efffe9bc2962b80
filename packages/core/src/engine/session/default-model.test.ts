// The default classifier (models/fmnist-resnet20, int8 QDQ) on the engine vs onnxruntime-web, on real
// Fashion-MNIST test images: every int8 activation within +-1, logits within one output step, same top-1.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compareActivations, ortRun } from '../../testing/ort-oracle.js';
import { createWasmSession } from './wasm-session.js';

const MODEL = fileURLToPath(new URL('../../../../../models/fmnist-resnet20/model.int8.onnx', import.meta.url));
const IMAGES = `${process.env.FMNIST_DIR ?? '/usr/share/datasets/fashion-mnist'}/t10k-images-idx3-ubyte.gz`;
const ready = existsSync(MODEL) && existsSync(IMAGES);

function images(count: number): Float32Array[] {
  const raw = gunzipSync(readFileSync(IMAGES)).subarray(16);
  const manifest = JSON.parse(readFileSync(MODEL.replace('model.int8.onnx', 'model.json'), 'utf8'));
  const [mean] = manifest.input.mean, [std] = manifest.input.std;
  // Spread over the split; preprocessing as the manifest says ((x / 255 - mean) / std).
  return Array.from({ length: count }, (_, i) => Float32Array.from(raw.subarray(i * 97 * 784, i * 97 * 784 + 784), (v) => (v / 255 - mean) / std));
}

describe.skipIf(!ready)('default model fmnist-resnet20 (int8) on the wasm engine vs onnxruntime-web', () => {
  const dims = [1, 1, 28, 28];

  it('logits within one output step (range / 255) and top-1 agrees on 100 test images', async () => {
    const bytes = new Uint8Array(readFileSync(MODEL));
    const s = await createWasmSession({ model: bytes, inputShapes: { input: dims } });
    expect(s.plan.ops.some((o) => o.op === 'float')).toBe(false);
    let worst = 0, agree = 0;
    const imgs = images(100);
    for (const data of imgs) {
      const a = (await s.run({ input: { data, dims } })).logits.data;
      const b = (await ortRun(bytes, { input: { data, dims } })).logits.data as Float32Array;
      const step = (Math.max(...b) - Math.min(...b)) / 255;
      for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]) / step);
      const top = (v: ArrayLike<number>) => Array.prototype.indexOf.call(v, Math.max(...Array.from(v)));
      if (top(a) === top(b)) agree++;
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect(agree).toBe(imgs.length);
  });

  it('every int8 activation equals onnxruntime within +-1 (rare)', async () => {
    const bytes = new Uint8Array(readFileSync(MODEL));
    for (const data of images(3)) {
      const { compared, offByOne, total } = await compareActivations(bytes, { input: { data, dims } });
      expect(compared).toBeGreaterThan(20);
      expect(offByOne / total).toBeLessThan(0.005);
    }
    // 3 images x 33 graph cuts = 99 sessions on each engine: ~50 s on an idle 2-core machine, over 120 s when loaded.
  }, 300_000);

  it('batch of 8 equals 8 single runs', async () => {
    const bytes = new Uint8Array(readFileSync(MODEL));
    const s = await createWasmSession({ model: bytes });
    const imgs = images(8);
    const batch = new Float32Array(8 * 784);
    imgs.forEach((d, i) => batch.set(d, i * 784));
    const out = (await s.run({ input: { data: batch, dims: [8, 1, 28, 28] } })).logits.data;
    for (let i = 0; i < 8; i++) {
      const one = (await s.run({ input: { data: imgs[i], dims } })).logits.data;
      expect(Array.from(out.subarray(i * 10, i * 10 + 10))).toEqual(Array.from(one));
    }
  });
});
