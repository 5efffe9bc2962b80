// Node Buffers are what readFileSync and fetch-to-file code hand over. A Buffer's slice() is a view (not a copy) and
// small ones sit at an offset in a shared pool, so code that copies with slice().buffer reads the wrong bytes. Every
// entry point that takes bytes must give the same answer for a Buffer as for a plain Uint8Array.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeImage, load, type ModelManifest } from '../../packages/core/src/index.js';
import { decodeModel, tensorToFloat32 } from '../../packages/core/src/onnx/index.js';
import { quantize } from '../../packages/core/src/quantizer/quantize.js';
import { randomInputs } from '../../packages/core/src/testing/quantizer-helpers.js';

const R20 = 'models/fmnist-resnet20';
const labels = (JSON.parse(readFileSync(`${R20}/model.json`, 'utf8')) as ModelManifest).labels;
const sample = new Uint8Array(readFileSync(`${R20}/samples/ankle-boot.png`));

/** The bytes as a Buffer at a non-zero offset of a larger ArrayBuffer, the layout that exposed the bug. */
function offsetBuffer(bytes: Uint8Array): Buffer {
  const b = Buffer.concat([Buffer.alloc(3), Buffer.from(bytes)]).subarray(3);
  expect(b.byteOffset).toBeGreaterThan(0);
  return b;
}

describe('Node Buffer inputs', () => {
  it('decodeModel + tensorToFloat32 read the same weights from a Buffer as from a Uint8Array', () => {
    const plain = new Uint8Array(readFileSync(`${R20}/model.fp32.onnx`));
    const a = decodeModel(plain).graph!.initializer;
    const b = decodeModel(offsetBuffer(plain)).graph!.initializer;
    expect(b.length).toBe(a.length);
    const floats = a.findIndex((t) => t.dims.length === 4);
    expect(Array.from(tensorToFloat32(b[floats]))).toEqual(Array.from(tensorToFloat32(a[floats])));
  });

  it('load() from readFileSync bytes runs the own engine and classifies like a Uint8Array', async () => {
    const buf = offsetBuffer(new Uint8Array(readFileSync(`${R20}/model.int8.onnx`)));
    const fromBuffer = await load({ model: buf, labels, preprocess: 'fmnist', backend: 'wasm' });
    const fromArray = await load({ model: new Uint8Array(buf), labels, preprocess: 'fmnist', backend: 'wasm' });
    try {
      expect(fromBuffer.backend).toBe('wasm');
      const [x, y] = [await fromBuffer.classify(sample), await fromArray.classify(sample)];
      expect(x[0].label).toBe('Ankle boot');
      expect(x).toEqual(y);
    } finally {
      await Promise.all([fromBuffer.dispose(), fromArray.dispose()]);
    }
  });

  it('quantize() takes a Buffer', async () => {
    const tiny = new Uint8Array(readFileSync('packages/core/test-fixtures/quantize/tiny-op13.onnx'));
    const calibration = randomInputs(4, [1, 3, 32, 32], 1);
    const a = await quantize({ model: tiny, calibration, method: 'minmax' });
    const b = await quantize({ model: offsetBuffer(tiny), calibration, method: 'minmax' });
    expect(Buffer.from(b.model).equals(Buffer.from(a.model))).toBe(true);
  });

  it('decodeImage() takes a Buffer (WebP copies its bytes for the decoder)', async () => {
    for (const f of ['packages/core/test-fixtures/images/alpha-lossy.webp', `${R20}/samples/ankle-boot.png`]) {
      const plain = new Uint8Array(readFileSync(f));
      const a = await decodeImage(plain);
      const b = await decodeImage(offsetBuffer(plain));
      expect([b.width, b.height]).toEqual([a.width, a.height]);
      expect(Buffer.from(b.data).equals(Buffer.from(a.data))).toBe(true);
    }
  });
});
