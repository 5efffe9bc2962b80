import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sniffFormat, sniffImage } from './sniff.js';

const fx = (name: string) => new Uint8Array(readFileSync(new URL(`../../test-fixtures/images/${name}`, import.meta.url)));
const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('sniffImage on real files (written by Pillow)', () => {
  it.each([
    ['rgb.jpg', 'jpeg', 32, 24],
    ['gray.jpg', 'jpeg', 32, 24],
    ['cmyk.jpg', 'jpeg', 32, 24],
    ['orient6.jpg', 'jpeg', 24, 32],
    ['rgb.png', 'png', 32, 24],
    ['gray16.png', 'png', 5, 3],
    ['lossy.webp', 'webp', 32, 24],
    ['lossless.webp', 'webp', 32, 24],
    ['alpha-lossy.webp', 'webp', 32, 24],
    ['tiny.gif', 'gif', 32, 24],
    ['tiny.bmp', 'bmp', 32, 24],
  ])('%s -> %s %dx%d', (file, format, width, height) => {
    const info = sniffImage(fx(file));
    expect(info).toMatchObject({ format, width, height, supported: ['jpeg', 'png', 'webp'].includes(format) });
  });

  it('reads the EXIF orientation of a JPEG', () => {
    expect(sniffImage(fx('orient6.jpg')).orientation).toBe(6);
    expect(sniffImage(fx('rgb.jpg')).orientation).toBeUndefined();
  });

  it('recognises TIFF as unsupported', () => {
    expect(sniffImage(fx('tiny.tif'))).toMatchObject({ format: 'tiff', supported: false });
  });
});

describe('sniffFormat on magic bytes and garbage', () => {
  it.each([
    ['\0\0\0\x1cftypavif\0\0\0\0', 'avif'],
    ['\0\0\0\x18ftypheic\0\0\0\0', 'heic'],
    ['%PDF-1.7\n%...', 'pdf'],
    ['PK\x03\x04\x14\0\0\0', 'zip'],
    ['GIF89a\x01\0\x01\0', 'gif'],
    ['MM\0*\0\0\0\x08', 'tiff'],
    ['hello, this is a plain text file\n', 'text'],
    ['{"not":"an image"}', 'text'],
    ['  <?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', 'svg'],
    ['<svg width="10"/>', 'svg'],
    ['\x00\x01\x02\x03\x04\x05\x06\x07', 'unknown'],
    ['', 'unknown'],
    ['\xff\xd8', 'unknown'], // too short for a JPEG
    ['RIFF\0\0\0\0WAVEfmt ', 'unknown'], // RIFF but not WebP
  ])('%j -> %s', (s, format) => {
    expect(sniffFormat(bytes(s))).toBe(format);
  });

  it('never throws and reports no size on random garbage', () => {
    let seed = 7;
    for (let n = 0; n < 300; n++) {
      const b = new Uint8Array(n % 64);
      for (let i = 0; i < b.length; i++) b[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      expect(() => sniffImage(b)).not.toThrow();
    }
  });

  it('survives truncated headers of each decodable format', () => {
    for (const file of ['rgb.jpg', 'rgb.png', 'lossy.webp', 'lossless.webp', 'alpha-lossy.webp']) {
      const full = fx(file);
      for (let n = 0; n < Math.min(full.length, 40); n++) {
        const info = sniffImage(full.subarray(0, n));
        expect(info.width === undefined || info.width > 0).toBe(true);
      }
    }
  });

  it('reads a crafted 30000x30000 JPEG SOF0 without decoding', () => {
    const sof = [0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 30000 >> 8, 30000 & 255, 30000 >> 8, 30000 & 255, 3];
    expect(sniffImage(Uint8Array.from(sof))).toMatchObject({ format: 'jpeg', width: 30000, height: 30000 });
  });
});
