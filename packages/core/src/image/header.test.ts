import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImageInputError } from '../errors.js';
import { checkImageHeader } from './header.js';

const fx = (name: string) => new Uint8Array(readFileSync(new URL(`../../test-fixtures/images/${name}`, import.meta.url)));

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ImageInputError);
    return (e as ImageInputError).code;
  }
  return 'ok';
}

/** Copy of a JPEG with its SOF size patched; the tables and entropy data are kept. */
function jpegWithSize(b: Uint8Array, w: number, h: number): Uint8Array {
  const out = b.slice();
  let o = 2;
  while (!(out[o + 1] >= 0xc0 && out[o + 1] <= 0xc2)) o += 2 + ((out[o + 2] << 8) | out[o + 3]);
  out.set([h >> 8, h & 255, w >> 8, w & 255], o + 5);
  return out;
}

/** The bytes up to and including the first SOS header: "header only". */
function headerOnly(b: Uint8Array): Uint8Array {
  let o = 2;
  while (b[o + 1] !== 0xda) o += 2 + ((b[o + 2] << 8) | b[o + 3]);
  return b.slice(0, o + 2 + ((b[o + 2] << 8) | b[o + 3]));
}

describe('checkImageHeader', () => {
  it('returns format, size and orientation of good files', () => {
    expect(checkImageHeader(fx('orient6.jpg'))).toMatchObject({ format: 'jpeg', width: 24, height: 32, orientation: 6 });
    expect(checkImageHeader(fx('rgba.png'))).toMatchObject({ format: 'png', width: 32, height: 24 });
    expect(checkImageHeader(fx('alpha-lossy.webp'))).toMatchObject({ format: 'webp', width: 32, height: 24 });
  });

  it('1..11 bytes that start like JPEG, PNG or WebP are truncated images, not foreign formats', () => {
    for (const f of ['rgb.jpg', 'rgb.png', 'lossy.webp']) {
      for (let n = 1; n < 12; n++) expect([f, n, code(() => checkImageHeader(fx(f).subarray(0, n)))]).toEqual([f, n, 'IMAGE_DECODE_FAILED']);
    }
    expect(code(() => checkImageHeader(new TextEncoder().encode('RIFF\0\0\0\0AVI ')))).toBe('UNSUPPORTED_IMAGE_FORMAT');
    expect(code(() => checkImageHeader(new TextEncoder().encode('RIFX')))).toBe('UNSUPPORTED_IMAGE_FORMAT');
  });

  it('named: a 2.7 KB header-only JPEG declaring 6000x6000 -> IMAGE_DECODE_FAILED without decoding', () => {
    const bomb = headerOnly(jpegWithSize(fx('rgb.jpg'), 6000, 6000));
    expect(bomb.length).toBeLessThan(3000);
    const before = process.memoryUsage().arrayBuffers;
    expect(() => checkImageHeader(bomb)).toThrow(expect.objectContaining({ code: 'IMAGE_DECODE_FAILED' }));
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
  });

  it('a complete JPEG whose header was enlarged fails the 1-bit-per-block floor; the real size passes', () => {
    const b = fx('rgb-420.jpg');
    expect(code(() => checkImageHeader(b))).toBe('ok');
    expect(code(() => checkImageHeader(jpegWithSize(b, 4000, 3000)))).toBe('IMAGE_DECODE_FAILED');
  });

  it('a JPEG cut anywhere after its scan header lacks EOI -> IMAGE_DECODE_FAILED; trailing bytes after EOI are fine', () => {
    const b = fx('rgb.jpg');
    expect(code(() => checkImageHeader(b.subarray(0, b.length - 1)))).toBe('IMAGE_DECODE_FAILED');
    const trailing = new Uint8Array(b.length + 5);
    trailing.set(b);
    trailing.set([1, 0xd9, 3, 4, 5], b.length);
    expect(code(() => checkImageHeader(trailing))).toBe('ok');
  });

  it('PNG too small for its declared size, WebP shorter than its RIFF size -> IMAGE_DECODE_FAILED', () => {
    const png = fx('rgb.png').slice();
    new DataView(png.buffer).setUint32(16, 40000);
    new DataView(png.buffer).setUint32(20, 1000);
    expect(code(() => checkImageHeader(png))).toBe('IMAGE_DECODE_FAILED');
    const webp = fx('lossy.webp');
    expect(code(() => checkImageHeader(webp.subarray(0, webp.length - 1)))).toBe('IMAGE_DECODE_FAILED');
  });

  it('size over maxPixels -> IMAGE_TOO_LARGE with the numbers; the default is 48 MP', () => {
    expect(() => checkImageHeader(fx('rgb.png'), { maxPixels: 100 })).toThrow(expect.objectContaining({ code: 'IMAGE_TOO_LARGE', details: { format: 'png', width: 32, height: 24, maxPixels: 100 } }));
    const big = jpegWithSize(fx('rgb.jpg'), 8001, 6000);
    expect(() => checkImageHeader(big)).toThrow(expect.objectContaining({ code: 'IMAGE_TOO_LARGE', details: expect.objectContaining({ maxPixels: 48_000_000 }) }));
  });
});
