import { describe, expect, it } from 'vitest';
import { readImageSize, sniffImageFormat } from './image-header.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeJpeg, encodePng, FIXTURES, grayToRgba } from './testing/fixtures.js';

const rgba = grayToRgba({ pixels: new Uint8Array(37 * 23).fill(9), width: 37, height: 23 });

describe('image header', () => {
  it('sniffs and sizes real PNG and JPEG files', () => {
    const png = encodePng({ rgba, width: 37, height: 23 });
    const jpg = encodeJpeg({ rgba, width: 37, height: 23 });
    expect(sniffImageFormat({ bytes: png })).toBe('png');
    expect(sniffImageFormat({ bytes: jpg })).toBe('jpeg');
    expect(readImageSize({ bytes: png, format: 'png' })).toEqual({ width: 37, height: 23 });
    expect(readImageSize({ bytes: jpg, format: 'jpeg' })).toEqual({ width: 37, height: 23 });
  });
  it('sizes the three WebP chunk kinds', () => {
    const riff = (chunk: string, payload: number[]) => {
      const b = new Uint8Array(40);
      b.set(new TextEncoder().encode(`RIFF\0\0\0\0WEBP${chunk}`));
      b.set(payload, 20);
      return b;
    };
    // VP8: frame tag, start code, 14-bit w/h little-endian.
    const lossy = riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 300 & 0xff, 300 >> 8, 200 & 0xff, 200 >> 8]);
    expect(sniffImageFormat({ bytes: lossy })).toBe('webp');
    expect(readImageSize({ bytes: lossy, format: 'webp' })).toEqual({ width: 300, height: 200 });
    // VP8L: 0x2f then (w-1) | (h-1) << 14.
    const bits = (64 - 1) | ((48 - 1) << 14);
    const lossless = riff('VP8L', [0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, bits >>> 24]);
    expect(readImageSize({ bytes: lossless, format: 'webp' })).toEqual({ width: 64, height: 48 });
    // VP8X: flags(4) then 24-bit (w-1), (h-1).
    const ext = riff('VP8X', [0, 0, 0, 0, 0xff, 0x0f, 0, 0x0f, 0, 0]);
    expect(readImageSize({ bytes: ext, format: 'webp' })).toEqual({ width: 4096, height: 16 });
  });
  it('sizes real WebP files written by libwebp', () => {
    for (const f of ['fmnist-t10k-0-lossless.webp', 'fmnist-t10k-0-lossy.webp']) {
      const bytes = new Uint8Array(readFileSync(join(FIXTURES, f)));
      expect(sniffImageFormat({ bytes })).toBe('webp');
      expect(readImageSize({ bytes, format: 'webp' })).toEqual({ width: 28, height: 28 });
    }
  });
  it('rejects non-images and corrupt headers', () => {
    expect(sniffImageFormat({ bytes: new TextEncoder().encode('hello world, not an image') })).toBeNull();
    expect(() => readImageSize({ bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), format: 'png' })).toThrow(
      expect.objectContaining({ code: 'IMAGE_DECODE_FAILED' }),
    );
    expect(() => readImageSize({ bytes: new Uint8Array([0xff, 0xd8, 0xff, 0x00, 0x01]), format: 'jpeg' })).toThrow(
      expect.objectContaining({ code: 'IMAGE_DECODE_FAILED' }),
    );
  });
});
