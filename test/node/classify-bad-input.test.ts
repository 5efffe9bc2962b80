// Bad input through the public API of a loaded model: every case is a typed error with a stable code, never a crash,
// a hang or a huge allocation; and the model keeps working afterwards (nothing is lost).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageInputError, load, ResNetEdgeError, type ResNetModel } from '../../packages/core/src/index.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const fixture = (name: string) => new Uint8Array(readFileSync(join(ROOT, 'packages/core/test-fixtures/images', name)));
const sample = () => new Uint8Array(readFileSync(join(ROOT, 'models/fmnist-resnet20/samples/sneaker.png')));

/** A valid PNG signature + IHDR claiming 30000x30000 RGBA, then nothing: a decompression-bomb header. */
function hugePngHeader(): Uint8Array {
  const png = Buffer.from(rgbPng());
  png.writeUInt32BE(30000, 16);
  png.writeUInt32BE(30000, 20);
  return new Uint8Array(png.subarray(0, 64));
}
const rgbPng = () => fixture('rgb.png');

/** A JPEG whose SOF0 claims 30000x30000. */
function hugeJpegHeader(): Uint8Array {
  const b = Buffer.from(fixture('rgb.jpg'));
  for (let i = 2; i < b.length - 9; i++) {
    if (b[i] === 0xff && b[i + 1] >= 0xc0 && b[i + 1] <= 0xc2) {
      b.writeUInt16BE(30000, i + 5);
      b.writeUInt16BE(30000, i + 7);
      return new Uint8Array(b);
    }
  }
  throw new Error('no SOF marker in fixture');
}

describe.each(['wasm', 'ort-wasm'] as const)('classify() bad input (%s)', (backend) => {
  let model: ResNetModel;
  beforeAll(async () => {
    model = await load({ model: 'fmnist-resnet20', backend });
  });
  afterAll(() => model?.dispose());

  const cases: Array<[string, () => unknown, string]> = [
    ['empty bytes', () => new Uint8Array(0), 'EMPTY_INPUT'],
    ['empty ArrayBuffer', () => new ArrayBuffer(0), 'EMPTY_INPUT'],
    ['truncated PNG', () => sample().subarray(0, 60), 'IMAGE_DECODE_FAILED'],
    ['truncated JPEG', () => fixture('rgb.jpg').subarray(0, 200), 'IMAGE_DECODE_FAILED'],
    ['PNG with a corrupted IDAT', () => { const b = sample().slice(); b.fill(0x55, 50, b.length - 20); return b; }, 'IMAGE_DECODE_FAILED'],
    ['a text file', () => new TextEncoder().encode('hello, this is not an image at all\n'), 'UNSUPPORTED_IMAGE_FORMAT'],
    ['a GIF (not supported)', () => fixture('tiny.gif'), 'UNSUPPORTED_IMAGE_FORMAT'],
    ['a PNG header claiming 30000x30000', hugePngHeader, 'IMAGE_TOO_LARGE'],
    ['a JPEG header claiming 30000x30000', hugeJpegHeader, 'IMAGE_TOO_LARGE'],
    ['a tensor of the wrong shape', () => ({ data: new Float32Array(3 * 28 * 28), dims: [1, 3, 28, 28] }), 'INVALID_TENSOR'],
    ['an RgbaImage with a short buffer', () => ({ width: 10, height: 10, data: new Uint8Array(7) }), 'INVALID_ARGUMENT'],
    ['null', () => null, 'INVALID_ARGUMENT'],
    ['a number', () => 42, 'INVALID_ARGUMENT'],
  ];
  for (const [name, make, code] of cases) {
    it(`${name} -> ${code}`, async () => {
      const heapBefore = process.memoryUsage().arrayBuffers;
      const err = await model.classify(make() as never).catch((e) => e);
      expect(err).toBeInstanceOf(ResNetEdgeError);
      expect(err.code).toBe(code);
      // No huge allocation on the way to the error (a 30000x30000 RGBA buffer would be 3.6 GB).
      expect(process.memoryUsage().arrayBuffers - heapBefore).toBeLessThan(256 * 2 ** 20);
    });
  }

  it('image errors are ImageInputError', async () => {
    await expect(model.classify(new Uint8Array(0))).rejects.toBeInstanceOf(ImageInputError);
  });
  it('bad options -> INVALID_ARGUMENT; detect() on a classifier -> INVALID_ARGUMENT', async () => {
    await expect(model.classify(sample(), { topK: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(model.detect(sample())).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
  it('an aborted signal -> ABORTED', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(model.classify(sample(), { signal: ac.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  });
  it('still classifies correctly after all of the above', async () => {
    const [top] = await model.classify(sample(), { topK: 1 });
    expect(top.label).toBe('Sneaker');
  });
  it('concurrent calls all resolve', async () => {
    const rs = await Promise.all(Array.from({ length: 8 }, () => model.classify(sample(), { topK: 1 })));
    expect(rs.every((r) => r[0].label === 'Sneaker')).toBe(true);
  });
});

describe('dispose', () => {
  it('calls after dispose() -> DISPOSED', async () => {
    const m = await load({ model: 'fmnist-resnet20', backend: 'wasm' });
    await m.dispose();
    await expect(m.classify(sample())).rejects.toMatchObject({ code: 'DISPOSED' });
  });
});
