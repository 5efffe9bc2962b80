import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImageInputError } from '../errors.js';
import type { InputSpec, ResizePolicy } from '../package/manifest-types.js';
import { errorCode } from '../testing/error-code.js';
import { decodeImage } from './decode.js';
import { checkImagePreprocessOptions, preprocessEncoded, type ImagePreprocessOptions } from './decode-to-size.js';
import { preprocess } from './preprocess.js';

const fx = (name: string) => new Uint8Array(readFileSync(new URL(`../../test-fixtures/images/${name}`, import.meta.url)));
const readme = JSON.parse(new TextDecoder().decode(fx('README.json'))) as {
  toSize: Record<string, { mode: 'RGB' | 'L'; size: [number, number]; scale: number }>;
};

/** Identity normalisation, so the tensor holds the resized 8-bit values. */
function spec(size: [number, number], channels: InputSpec['channels'] = 'rgb', resize: Partial<ResizePolicy> = {}): InputSpec {
  const c = channels === 'grayscale' ? 1 : 3;
  return { name: 'input', shape: [1, c, size[1], size[0]], layout: 'NCHW', channels, resize: { mode: 'stretch', filter: 'bilinear', ...resize }, scale: 1, mean: [0], std: [1] };
}

/** NCHW float tensor of 8-bit values -> interleaved bytes. */
function interleave(t: Float32Array, c: number, n: number): Uint8Array {
  const out = new Uint8Array(c * n);
  for (let ch = 0; ch < c; ch++) for (let i = 0; i < n; i++) out[i * c + ch] = t[ch * n + i];
  return out;
}

const SPECS: Array<[string, InputSpec]> = [
  ['grayscale 28x28 stretch', spec([28, 28], 'grayscale')],
  ['rgb 16x16 shorter-side-crop 18', spec([16, 16], 'rgb', { mode: 'shorter-side-crop', shorterSide: 18 })],
  ['bgr 20x12 letterbox', spec([20, 12], 'bgr', { mode: 'letterbox', padValue: 114 })],
  ['rgb 7x5 nearest', spec([7, 5], 'rgb', { filter: 'nearest' })],
];

describe('preprocessEncoded: PNG rows stream through the resizer bit-identically to the exact path', () => {
  // rgb.png, resize-src.png and resize-src-L.png take the layouts that skip RGBA (8-bit RGB, 8-bit grey); the rest go through RGBA.
  const files = ['rgb.png', 'rgba.png', 'la.png', 'palette-trns.png', 'palette-4bit.png', 'gray16.png', 'interlaced-rgba16.png', 'resize-src.png', 'resize-src-L.png'];
  for (const [name, input] of SPECS) {
    it(name, async () => {
      for (const f of files) {
        const fast = await preprocessEncoded({ bytes: fx(f), input });
        const exact = await preprocessEncoded({ bytes: fx(f), input, decode: 'exact' });
        expect(fast.decoded.path).toBe('png-rows');
        expect(exact.decoded.path).toBe('full');
        expect([f, Array.from(fast.tensor.data)]).toEqual([f, Array.from(exact.tensor.data)]);
        expect(fast.transform).toEqual(exact.transform);
      }
    });
  }
});

describe('preprocessEncoded: JPEG decodes at a DCT scale, then resizes over the exact box', () => {
  it.each(Object.entries(readme.toSize))('%s equals Pillow draft + exif_transpose + resize(box)', async (f, c) => {
    const input = spec(c.size, c.mode === 'L' ? 'grayscale' : 'rgb');
    const got = await preprocessEncoded({ bytes: fx(f), input });
    expect(got.decoded).toMatchObject({ path: 'jpeg-dct', scale: c.scale });
    const want = await decodeImage(fx(`${f}.fast-${c.size[0]}x${c.size[1]}.png`));
    const ch = c.mode === 'L' ? 1 : 3;
    const wantBytes = want.data.filter((_, i) => i % 4 < ch);
    expect(Array.from(interleave(got.tensor.data as Float32Array, ch, c.size[0] * c.size[1]))).toEqual(Array.from(wantBytes));
  });

  it('the transform maps back to the full-size, upright image', async () => {
    const got = await preprocessEncoded({ bytes: fx('size-orient6.jpg'), input: spec([24, 18]) });
    expect(got.transform).toEqual({ scaleX: 24 / 203, scaleY: 18 / 157, offsetX: 0, offsetY: 0, srcWidth: 203, srcHeight: 157 });
  });

  it('orientations 5-8 choose the scale from the swapped target (4 here; 2 if the swap were forgotten)', async () => {
    expect((await preprocessEncoded({ bytes: fx('size-orient6.jpg'), input: spec([24, 18]) })).decoded).toEqual({ path: 'jpeg-dct', width: 51, height: 40, scale: 4 });
    const raw = await preprocessEncoded({ bytes: fx('size-orient6.jpg'), input: spec([24, 18]), applyExifOrientation: false });
    expect(raw.decoded).toMatchObject({ width: 79, height: 102, scale: 2 });
  });

  it('a small image is not reduced (scale 1); exact mode always decodes at full size', async () => {
    expect((await preprocessEncoded({ bytes: fx('rgb.jpg'), input: spec([28, 28]) })).decoded).toEqual({ path: 'jpeg-dct', width: 32, height: 24, scale: 1 });
    const exact = await preprocessEncoded({ bytes: fx('size-420.jpg'), input: spec([24, 18]), decode: 'exact' });
    expect(exact.decoded).toEqual({ path: 'full', width: 203, height: 157, scale: 1 });
    const ref = preprocess({ image: await decodeImage(fx('size-420.jpg')), input: spec([24, 18]) });
    expect(Array.from(exact.tensor.data)).toEqual(Array.from(ref.tensor.data));
  });

  it('fast and exact JPEG tensors stay close (DCT scaling vs a full decode)', async () => {
    for (const f of Object.keys(readme.toSize)) {
      const c = readme.toSize[f];
      const input = spec(c.size, c.mode === 'L' ? 'grayscale' : 'rgb');
      const a = (await preprocessEncoded({ bytes: fx(f), input })).tensor.data;
      const b = (await preprocessEncoded({ bytes: fx(f), input, decode: 'exact' })).tensor.data;
      let sum = 0;
      for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
      expect([f, sum / a.length < 3]).toEqual([f, true]); // mean |diff| in 8-bit levels
    }
  });
});

describe('preprocessEncoded: WebP and errors', () => {
  it('WebP decodes at full size (no scaled decoding in the bundled libwebp) and matches exact', async () => {
    const input = spec([16, 16]);
    const fast = await preprocessEncoded({ bytes: fx('lossy.webp'), input });
    expect(fast.decoded.path).toBe('webp-full');
    expect(Array.from(fast.tensor.data)).toEqual(Array.from((await preprocessEncoded({ bytes: fx('lossy.webp'), input, decode: 'exact' })).tensor.data));
  });

  it('header errors come before any decoding, with the same codes as decodeImage', async () => {
    const input = spec([8, 8]);
    expect(await errorCode(preprocessEncoded({ bytes: new Uint8Array(0), input }), ImageInputError)).toBe('EMPTY_INPUT');
    expect(await errorCode(preprocessEncoded({ bytes: fx('tiny.gif'), input }), ImageInputError)).toBe('UNSUPPORTED_IMAGE_FORMAT');
    expect(await errorCode(preprocessEncoded({ bytes: fx('rgb.png'), input, maxPixels: 100 }), ImageInputError)).toBe('IMAGE_TOO_LARGE');
    for (const f of ['size-420.jpg', 'size-progressive.jpg', 'interlaced-rgb.png', 'rgba.png', 'lossy.webp']) {
      const full = fx(f);
      for (const cut of [1, 5, 40, full.length >> 2, full.length >> 1, full.length - 30, full.length - 2, full.length - 1]) {
        expect([f, cut, await errorCode(preprocessEncoded({ bytes: full.slice(0, cut), input }), ImageInputError)]).toEqual([f, cut, 'IMAGE_DECODE_FAILED']);
      }
    }
  });
});

describe('checkImagePreprocessOptions', () => {
  const input = spec([8, 8]);
  it('rejects values outside their type with INVALID_ARGUMENT naming the option', async () => {
    const bad: [ImagePreprocessOptions, RegExp][] = [
      [{ decode: 'bogus' as never }, /decode must be 'fast' or 'exact', got "bogus"/],
      [{ maxPixels: NaN }, /maxPixels must be a positive integer, got NaN/],
      [{ maxPixels: -1 }, /maxPixels must be a positive integer, got -1/],
      [{ maxBytes: 0 }, /maxBytes must be a positive integer, got 0/],
      [{ applyExifOrientation: 'yes' as never }, /applyExifOrientation must be true or false/],
      [{ alphaBackground: 'purple' as never }, /alphaBackground must be/],
    ];
    for (const [o, message] of bad) {
      expect(() => checkImagePreprocessOptions(o)).toThrow(message);
      await expect(preprocessEncoded({ bytes: fx('rgba.png'), input, ...o })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });

  it('accepts undefined values and valid ones', () => {
    expect(() => checkImagePreprocessOptions({ decode: undefined, maxPixels: undefined })).not.toThrow();
    expect(() => checkImagePreprocessOptions({ decode: 'exact', maxPixels: 1, maxBytes: 1, preferPlatformDecoder: false, alphaBackground: [0, 128, 255] })).not.toThrow();
  });
});
