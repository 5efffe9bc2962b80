import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImageInputError } from '../errors.js';
import { isPreprocessedTensor, toRgbaImage, type ImageInput } from './to-rgba.js';
import { errorCode } from '../testing/error-code.js';

const fx = (name: string) => new Uint8Array(readFileSync(new URL(`../../test-fixtures/images/${name}`, import.meta.url)));

describe('toRgbaImage (Node: bytes, Blob, RgbaImage, ImageData-shaped)', () => {
  it('decodes Uint8Array, Buffer, ArrayBuffer, DataView and Blob to the same pixels', async () => {
    const png = fx('rgba.png');
    const ref = await toRgbaImage(png);
    expect([ref.width, ref.height, ref.data.length]).toEqual([32, 24, 32 * 24 * 4]);
    const inputs: unknown[] = [Buffer.from(png), png.slice().buffer, new DataView(png.slice().buffer), new Blob([png])];
    for (const input of inputs) expect(Array.from((await toRgbaImage(input as ImageInput)).data)).toEqual(Array.from(ref.data));
  });

  it('decodes a WebP Blob', async () => {
    const img = await toRgbaImage(new Blob([fx('lossless.webp')], { type: 'image/png' })); // the type is ignored
    expect([img.width, img.height]).toEqual([32, 24]);
  });

  it('passes a valid RgbaImage / ImageData-shaped object through without copying', async () => {
    const data = new Uint8ClampedArray(3 * 2 * 4).fill(7);
    const out = await toRgbaImage({ width: 3, height: 2, data } as ImageInput);
    expect(out.data).toBe(data);
  });

  it('bad inputs fail with stable codes', async () => {
    expect(await errorCode(toRgbaImage(new Uint8Array(0)), ImageInputError)).toBe('EMPTY_INPUT');
    expect(await errorCode(toRgbaImage(new Blob([])), ImageInputError)).toBe('EMPTY_INPUT');
    expect(await errorCode(toRgbaImage(new Blob([new Uint8Array(100)]), { maxBytes: 99 }), ImageInputError)).toBe('IMAGE_TOO_LARGE');
    expect(await errorCode(toRgbaImage(new TextEncoder().encode('<html>no</html>')), ImageInputError)).toBe('UNSUPPORTED_IMAGE_FORMAT');
    expect(await errorCode(toRgbaImage({ width: 2, height: 2, data: new Uint8Array(15) }), ImageInputError)).toBe('INVALID_ARGUMENT');
    expect(await errorCode(toRgbaImage({ width: -1, height: 2, data: new Uint8Array(0) }), ImageInputError)).toBe('INVALID_ARGUMENT');
    expect(await errorCode(toRgbaImage({ width: 1, height: 1, data: new Float32Array(4) } as unknown as ImageInput), ImageInputError)).toBe('INVALID_ARGUMENT');
    expect(await errorCode(toRgbaImage({ width: 10000, height: 10000, data: new Uint8Array(4) }, { maxPixels: 1e6 }), ImageInputError)).toBe('IMAGE_TOO_LARGE');
    expect(await errorCode(toRgbaImage({ data: new Float32Array(3), dims: [1, 3, 1, 1] }), ImageInputError)).toBe('INVALID_ARGUMENT');
    for (const v of [null, undefined, 42, 'image.png', {}, []]) expect(await errorCode(toRgbaImage(v as unknown as ImageInput), ImageInputError)).toBe('INVALID_ARGUMENT');
  });

  it('isPreprocessedTensor recognises float NCHW inputs only', () => {
    expect(isPreprocessedTensor({ data: new Float32Array(3), dims: [1, 3, 1, 1] })).toBe(true);
    expect(isPreprocessedTensor({ width: 1, height: 1, data: new Uint8Array(4) })).toBe(false);
    expect(isPreprocessedTensor(new Uint8Array(4))).toBe(false);
  });
});

describe('toRgbaImage: maxPixels and maxBytes must be positive integers', () => {
  it('rejects NaN, 0 and strings with INVALID_ARGUMENT on every input kind', async () => {
    const png = fx('rgba.png');
    const rgba = { width: 1, height: 1, data: new Uint8Array(4) };
    for (const v of [NaN, 0, -1, '10'] as number[]) {
      for (const input of [png, new Blob([png]), rgba] as ImageInput[]) {
        expect(await errorCode(toRgbaImage(input, { maxPixels: v }))).toBe('INVALID_ARGUMENT');
        expect(await errorCode(toRgbaImage(input, { maxBytes: v }))).toBe('INVALID_ARGUMENT');
      }
    }
  });
});
