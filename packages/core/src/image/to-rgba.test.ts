import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImageInputError } from '../errors.js';
import { isPreprocessedTensor, toRgbaImage, type ImageInput } from './to-rgba.js';

const fx = (name: string) => new Uint8Array(readFileSync(new URL(`../../test-fixtures/images/${name}`, import.meta.url)));

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ImageInputError);
    return (e as ImageInputError).code;
  }
  return 'resolved';
}

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
    expect(await code(toRgbaImage(new Uint8Array(0)))).toBe('EMPTY_INPUT');
    expect(await code(toRgbaImage(new Blob([])))).toBe('EMPTY_INPUT');
    expect(await code(toRgbaImage(new Blob([new Uint8Array(100)]), { maxBytes: 99 }))).toBe('IMAGE_TOO_LARGE');
    expect(await code(toRgbaImage(new TextEncoder().encode('<html>no</html>')))).toBe('UNSUPPORTED_IMAGE_FORMAT');
    expect(await code(toRgbaImage({ width: 2, height: 2, data: new Uint8Array(15) }))).toBe('INVALID_ARGUMENT');
    expect(await code(toRgbaImage({ width: -1, height: 2, data: new Uint8Array(0) }))).toBe('INVALID_ARGUMENT');
    expect(await code(toRgbaImage({ width: 1, height: 1, data: new Float32Array(4) } as unknown as ImageInput))).toBe('INVALID_ARGUMENT');
    expect(await code(toRgbaImage({ width: 10000, height: 10000, data: new Uint8Array(4) }, { maxPixels: 1e6 }))).toBe('IMAGE_TOO_LARGE');
    expect(await code(toRgbaImage({ data: new Float32Array(3), dims: [1, 3, 1, 1] }))).toBe('INVALID_ARGUMENT');
    for (const v of [null, undefined, 42, 'image.png', {}, []]) expect(await code(toRgbaImage(v as unknown as ImageInput))).toBe('INVALID_ARGUMENT');
  });

  it('isPreprocessedTensor recognises float NCHW inputs only', () => {
    expect(isPreprocessedTensor({ data: new Float32Array(3), dims: [1, 3, 1, 1] })).toBe(true);
    expect(isPreprocessedTensor({ width: 1, height: 1, data: new Uint8Array(4) })).toBe(false);
    expect(isPreprocessedTensor(new Uint8Array(4))).toBe(false);
  });
});
