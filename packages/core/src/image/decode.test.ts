import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { encode as encodePng } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { ImageInputError } from '../errors.js';
import { decodeImage, registerImageDecoder } from './decode.js';
import { checkImageHeader } from './header.js';
import type { RgbaImage } from './types.js';
import { errorCode } from '../testing/error-code.js';

const fx = (name: string) => new Uint8Array(readFileSync(new URL(`../../test-fixtures/images/${name}`, import.meta.url)));

/** Expected pixels as Pillow decoded them, stored as plain 8-bit RGBA PNGs. */
async function expected(name: string): Promise<RgbaImage> {
  return decodeImage(fx(`${name}.expected.png`));
}

function diff(a: RgbaImage, b: RgbaImage): { max: number; mean: number } {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(a.data[i] - b.data[i]);
    sum += d;
    if (d > max) max = d;
  }
  return { max, mean: sum / a.data.length };
}

/** Known RGBA pattern: gradients with an opaque alpha. */
function pattern(w: number, h: number): RgbaImage {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) data.set([(x * 255) / (w - 1), (y * 255) / (h - 1), (x + y) % 2 ? 200 : 60, 255], (y * w + x) * 4);
  return { width: w, height: h, data };
}

function crc32(b: Uint8Array): number {
  let c = ~0;
  for (const v of b) {
    c ^= v;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A PNG made of the signature and an IHDR (valid CRC) claiming `w` x `h`, with no image data. */
function pngHeader(w: number, h: number): Uint8Array {
  const chunk = new Uint8Array(4 + 13);
  chunk.set([73, 72, 68, 82]);
  const v = new DataView(chunk.buffer);
  v.setUint32(4, w);
  v.setUint32(8, h);
  chunk.set([8, 6, 0, 0, 0], 12);
  const out = new Uint8Array(8 + 4 + chunk.length + 4);
  out.set([0x89, 80, 78, 71, 13, 10, 26, 10]);
  new DataView(out.buffer).setUint32(8, 13);
  out.set(chunk, 12);
  new DataView(out.buffer).setUint32(12 + chunk.length, crc32(chunk));
  return out;
}

describe('decodeImage: round trips and parity with Pillow', () => {
  it('PNG RGBA8 round trip is exact', async () => {
    const img = pattern(17, 9);
    const out = await decodeImage(encodePng({ width: 17, height: 9, data: img.data, channels: 4, depth: 8 }));
    expect(diff(out, img).max).toBe(0);
  });

  it('PNG RGBA16 keeps the high byte, rounded', async () => {
    const d16 = Uint16Array.from([0, 257, 65535, 65535, 128, 32896, 65280, 0]);
    const out = await decodeImage(encodePng({ width: 2, height: 1, data: d16, channels: 4, depth: 16 }));
    expect(Array.from(out.data)).toEqual([0, 1, 255, 255, 0, 128, 254, 0]);
  });

  it('16-bit greyscale PNG (Pillow I;16) maps to grey RGBA', async () => {
    const out = await decodeImage(fx('gray16.png'));
    const src = [0, 1, 255, 256, 257, 32767, 32768, 65534, 65535, 1000, 2000, 3000, 40000, 50000, 60000];
    expect(Array.from(out.data.filter((_, i) => i % 4 === 0))).toEqual(src.map((v) => Math.round(v / 257)));
    expect(out.data.filter((_, i) => i % 4 === 3).every((a) => a === 255)).toBe(true);
  });

  it.each(['la.png', 'palette-trns.png', 'palette-4bit.png', 'bilevel.png', 'lossless.webp'])('%s equals Pillow exactly', async (f) => {
    expect(diff(await decodeImage(fx(f)), await expected(f)).max).toBe(0);
  });

  it('RGB and RGBA PNGs equal the Pillow source pixels', async () => {
    const rgb = await decodeImage(fx('rgb.png'));
    const rgba = await decodeImage(fx('rgba.png'));
    expect(diff(rgb, { ...rgba, data: rgba.data.map((v, i) => (i % 4 === 3 ? 255 : v)) }).max).toBe(0);
    expect(rgba.data[3]).toBeLessThan(16); // vertical alpha gradient: top nearly transparent, bottom opaque
    expect(rgba.data[rgba.data.length - 1]).toBeGreaterThan(240);
  });

  it.each(['rgb.jpg', 'rgb-420.jpg', 'gray.jpg', 'cmyk.jpg', 'orient6.jpg'])('%s equals Pillow (libjpeg-turbo) exactly', async (f) => {
    expect(diff(await decodeImage(fx(f)), await expected(f)).max).toBe(0);
  });

  it.each([
    ['lossy.webp', 0.5, 4],
    ['alpha-lossy.webp', 0.5, 4],
  ])('%s matches Pillow (mean diff < %d, max < %d)', async (f, mean, max) => {
    const d = diff(await decodeImage(fx(f)), await expected(f));
    expect(d.mean).toBeLessThan(mean);
    expect(d.max).toBeLessThan(max);
  });

  it('greyscale JPEG comes out with R = G = B', async () => {
    const { data } = await decodeImage(fx('gray.jpg'));
    for (let i = 0; i < data.length; i += 4) expect(data[i] === data[i + 1] && data[i] === data[i + 2] && data[i + 3] === 255).toBe(true);
  });

  it('applies EXIF orientation unless told not to', async () => {
    expect((await decodeImage(fx('orient6.jpg'))).width).toBe(32);
    expect((await decodeImage(fx('orient6.jpg'), { applyExifOrientation: false })).width).toBe(24);
  });

  it('JPEG round trip of a known pattern is close', async () => {
    const img = pattern(40, 30);
    const enc = jpeg.encode({ width: 40, height: 30, data: img.data }, 100).data;
    const out = await decodeImage(new Uint8Array(enc));
    expect(diff(out, img).mean).toBeLessThan(3);
  });

  it('accepts an ArrayBuffer and a Uint8Array view into a larger buffer', async () => {
    const png = fx('rgb.png');
    const big = new Uint8Array(png.length + 10);
    big.set(png, 5);
    expect((await decodeImage(png.slice().buffer)).width).toBe(32);
    expect((await decodeImage(big.subarray(5, 5 + png.length))).width).toBe(32);
    const webp = fx('lossless.webp');
    const big2 = new Uint8Array(webp.length + 3);
    big2.set(webp, 3);
    expect(diff(await decodeImage(big2.subarray(3)), await expected('lossless.webp')).max).toBe(0);
  });
});

describe('decodeImage: bad input', () => {
  it('empty -> EMPTY_INPUT', async () => {
    expect(await errorCode(decodeImage(new Uint8Array(0)), ImageInputError)).toBe('EMPTY_INPUT');
    expect(await errorCode(decodeImage(new ArrayBuffer(0)), ImageInputError)).toBe('EMPTY_INPUT');
  });

  it('text, GIF, BMP, TIFF, PDF, random bytes -> UNSUPPORTED_IMAGE_FORMAT naming the format', async () => {
    const text = new TextEncoder().encode('this is not an image\n');
    const e = await decodeImage(text).catch((x: ImageInputError) => x);
    expect(e).toMatchObject({ code: 'UNSUPPORTED_IMAGE_FORMAT', details: { format: 'text' } });
    for (const f of ['tiny.gif', 'tiny.bmp', 'tiny.tif']) expect(await errorCode(decodeImage(fx(f)), ImageInputError)).toBe('UNSUPPORTED_IMAGE_FORMAT');
    expect(await errorCode(decodeImage(new TextEncoder().encode('%PDF-1.4\n')), ImageInputError)).toBe('UNSUPPORTED_IMAGE_FORMAT');
    expect(await errorCode(decodeImage(Uint8Array.from([0, 1, 2, 3, 250, 251])), ImageInputError)).toBe('UNSUPPORTED_IMAGE_FORMAT');
  });

  it.each(['rgb.jpg', 'rgb-420.jpg', 'gray.jpg', 'orient6.jpg', 'rgb.png', 'rgba.png', 'interlaced-rgb.png', 'lossy.webp', 'lossless.webp', 'alpha-lossy.webp'])(
    'truncated %s -> IMAGE_DECODE_FAILED at every length from 1 byte to all but the last',
    async (f) => {
      const full = fx(f);
      const wrong: Array<[number, string]> = [];
      for (let cut = 1; cut < full.length; cut++) {
        const code = await errorCode(decodeImage(full.slice(0, cut)), ImageInputError);
        if (code !== 'IMAGE_DECODE_FAILED') wrong.push([cut, code]);
      }
      expect(wrong).toEqual([]);
    },
  );

  it('corrupt bytes in the middle of a JPEG and a PNG -> IMAGE_DECODE_FAILED', async () => {
    // PNG chunks carry CRCs, so any corruption is caught. JPEG has no checksum: these cases break its structure
    // (entropy data running into bogus markers); corruption that stays well-formed decodes to garbage, as in libjpeg.
    for (const f of ['rgb.png', 'rgba.png', 'rgb-420.jpg', 'gray.jpg']) {
      const b = fx(f);
      const mid = b.length >> 1;
      for (let i = mid; i < mid + 24; i++) b[i] = (i * 37 + 11) & 0xff;
      expect([f, await errorCode(decodeImage(b), ImageInputError)]).toEqual([f, 'IMAGE_DECODE_FAILED']);
    }
  });

  it('random corruption never crashes: a correctly sized image or IMAGE_DECODE_FAILED', async () => {
    let seed = 99;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (const f of ['rgb.jpg', 'rgb-420.jpg', 'rgba.png', 'lossy.webp', 'lossless.webp', 'alpha-lossy.webp']) {
      const clean = fx(f);
      const outcomes = new Set<string>();
      for (let n = 0; n < 40; n++) {
        const b = clean.slice();
        const at = 30 + Math.floor(rnd() * (b.length - 30)); // keep the header so the format is still recognised
        for (let i = at; i < Math.min(b.length, at + 1 + Math.floor(rnd() * 16)); i++) b[i] = Math.floor(rnd() * 256);
        const r = await decodeImage(b).then(
          (img) => (img.width * img.height * 4 === img.data.length && img.width > 0 ? 'image' : 'bad-image'),
          (e) => (e instanceof ImageInputError ? e.code : `crash:${String(e)}`),
        );
        outcomes.add(r);
      }
      expect([f, [...outcomes].filter((o) => o !== 'image' && o !== 'IMAGE_DECODE_FAILED')]).toEqual([f, []]);
    }
  });

  it('a PNG header claiming 30000x30000 -> IMAGE_TOO_LARGE, fast, no big allocation', async () => {
    const before = process.memoryUsage().arrayBuffers;
    const e = await decodeImage(pngHeader(30000, 30000)).catch((x: ImageInputError) => x);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 * 2 ** 20);
    expect(e).toMatchObject({ code: 'IMAGE_TOO_LARGE', details: { width: 30000, height: 30000, maxPixels: 48_000_000 } });
  });

  it('a JPEG whose SOF claims 30000x30000 -> IMAGE_TOO_LARGE, fast', async () => {
    // Keep the real tables and entropy data, patch only the frame size: the decoder must never start.
    const b = fx('rgb.jpg');
    let o = 2;
    while (!(b[o + 1] >= 0xc0 && b[o + 1] <= 0xc2)) o += 2 + ((b[o + 2] << 8) | b[o + 3]);
    b.set([30000 >> 8, 30000 & 255, 30000 >> 8, 30000 & 255], o + 5);
    const before = process.memoryUsage().arrayBuffers;
    expect(await errorCode(decodeImage(b), ImageInputError)).toBe('IMAGE_TOO_LARGE');
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 * 2 ** 20);
  });

  it('a WebP VP8X header claiming 16384x16384 -> IMAGE_TOO_LARGE', async () => {
    const b = fx('alpha-lossy.webp');
    b.set([0xff, 0x3f, 0, 0xff, 0x3f, 0], 24);
    expect(await errorCode(decodeImage(b), ImageInputError)).toBe('IMAGE_TOO_LARGE');
  });

  it('respects a custom maxPixels', async () => {
    expect(await errorCode(decodeImage(fx('rgb.jpg'), { maxPixels: 767 }), ImageInputError)).toBe('IMAGE_TOO_LARGE');
    expect(await errorCode(decodeImage(fx('rgb.jpg'), { maxPixels: 768 }), ImageInputError)).toBe('resolved');
  });

  it('a PNG header with zero width -> IMAGE_DECODE_FAILED', async () => {
    expect(await errorCode(decodeImage(pngHeader(0, 10)), ImageInputError)).toBe('IMAGE_DECODE_FAILED');
  });
});

describe('registerImageDecoder', () => {
  it('routes a format to a registered decoder and restores the built-in one', async () => {
    const seen: number[] = [];
    registerImageDecoder('webp', (bytes, info) => {
      seen.push(bytes.length);
      return { width: info.width!, height: info.height!, data: new Uint8Array(info.width! * info.height! * 4).fill(9) };
    });
    try {
      const out = await decodeImage(fx('lossy.webp'));
      expect(out.data[0]).toBe(9);
      expect(seen).toEqual([fx('lossy.webp').length]);
    } finally {
      registerImageDecoder('webp', undefined);
    }
    expect((await decodeImage(fx('lossy.webp'))).data[0]).not.toBe(9);
  });
});

describe('decodeImage / checkImageHeader: maxPixels must be a positive integer', () => {
  // NaN or a string compared false against every size and lifted the limit; 0 and -1 called every image too large.
  it('rejects NaN, strings, 0, -1, 1.5 and Infinity with INVALID_ARGUMENT, before decoding', async () => {
    const png = fx('rgba.png');
    for (const maxPixels of [NaN, 'abc', 0, -1, 1.5, Infinity] as number[]) {
      expect([maxPixels, await errorCode(decodeImage(png, { maxPixels }))]).toEqual([maxPixels, 'INVALID_ARGUMENT']);
      expect(() => checkImageHeader(png, { maxPixels })).toThrow(/maxPixels must be a positive integer/);
    }
    expect((await decodeImage(png, { maxPixels: 32 * 24 })).width).toBe(32);
    expect(await errorCode(decodeImage(png, { maxPixels: 32 * 24 - 1 }), ImageInputError)).toBe('IMAGE_TOO_LARGE');
  });
});
