import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { ImageInputError } from '../../errors.js';
import { errorCode } from '../../testing/error-code.js';
import { pngWithData, zerosZlib } from '../../testing/image-bombs.js';
import { concat } from '../../package/fetch-bytes.js';
import { crc32, crc32Js } from './chunks.js';
import { decodePng, decodePngRows, INFLATE_SLACK } from './decode-png.js';
import { expectedBytes, passes } from './scanlines.js';

const fx = (name: string) => new Uint8Array(readFileSync(new URL(`../../../test-fixtures/images/${name}`, import.meta.url)));
const ENGINES = ['node', 'stream', 'fflate'] as const;
const MAX = 48_000_000;

/** A PNG with the given header fields and raw zlib stream as its only IDAT. */
const png = pngWithData;

describe('decodePng: pixels', () => {
  it.each(['interlaced-rgb.png', 'interlaced-rgba16.png', 'interlaced-gray2.png', 'interlaced-palette4.png'])(
    'Adam7 %s equals Pillow exactly (hand-written file, every filter type)',
    async (f) => {
      const want = await decodePng(fx(`${f}.expected.png`), { maxPixels: MAX });
      for (const engine of ENGINES) {
        const got = await decodePng(fx(f), { maxPixels: MAX, engine });
        expect([got.width, got.height]).toEqual([want.width, want.height]);
        expect(Buffer.compare(Buffer.from(got.data), Buffer.from(want.data))).toBe(0);
      }
    },
  );

  it('every colour type and bit depth fast-png can write round-trips (both inflaters)', async () => {
    const w = 13;
    const h = 5;
    for (const [channels, depth] of [[1, 8], [2, 8], [3, 8], [4, 8], [1, 16], [3, 16], [4, 16], [2, 16]] as const) {
      const n = w * h * channels;
      const data = depth === 8 ? Uint8Array.from({ length: n }, (_, i) => (i * 29) & 255) : Uint16Array.from({ length: n }, (_, i) => (i * 2999) & 65535);
      const bytes = encode({ width: w, height: h, data, channels, depth });
      for (const engine of ENGINES) {
        const img = await decodePng(bytes, { maxPixels: MAX, engine });
        for (let p = 0; p < w * h; p++) {
          const s = Array.from(data.subarray(p * channels, (p + 1) * channels), (v) => (depth === 16 ? ((v * 255 + 32767) / 65535) | 0 : v));
          const rgba = channels <= 2 ? [s[0], s[0], s[0], channels === 2 ? s[1] : 255] : [s[0], s[1], s[2], channels === 4 ? s[3] : 255];
          expect([channels, depth, engine, p, Array.from(img.data.subarray(p * 4, p * 4 + 4))]).toEqual([channels, depth, engine, p, rgba]);
        }
      }
    }
  });

  it('decodePngRows hands over the same rows as decodePng, top to bottom', async () => {
    for (const f of ['rgba.png', 'interlaced-rgb.png']) {
      const full = await decodePng(fx(f), { maxPixels: MAX });
      const seen: number[] = [];
      await decodePngRows(fx(f), {
        maxPixels: MAX,
        onRow: (row, y) => {
          seen.push(y);
          expect(Buffer.compare(Buffer.from(row), Buffer.from(full.data.subarray(y * full.width * 4, (y + 1) * full.width * 4)))).toBe(0);
        },
      });
      expect(seen).toEqual(Array.from({ length: full.height }, (_, i) => i));
    }
  });

  it('the portable CRC-32 equals Node\'s native one', () => {
    const b = Uint8Array.from({ length: 5000 }, (_, i) => (i * 131 + (i >> 3)) & 255);
    for (const [a, z] of [[0, 0], [0, 1], [3, 4999], [17, 5000], [0, 5000]]) expect(crc32Js(b, a, z)).toBe(crc32(b, a, z));
    expect(crc32Js(new TextEncoder().encode('IEND'), 0, 4)).toBe(0xae426082);
  });

  it('expected byte counts follow the PNG spec (filter byte per row, Adam7 passes)', () => {
    expect(expectedBytes({ width: 100, height: 100, interlaced: false }, 32)).toBe(40100);
    expect(expectedBytes({ width: 1, height: 1, interlaced: true }, 24)).toBe(4);
    // 5x3: pass 3 starts at row 4 and is empty; the rest cover all 15 pixels once.
    const p = passes({ width: 5, height: 3, interlaced: true });
    expect(p.map((q) => [q.width, q.height])).toEqual([[1, 1], [1, 1], [1, 1], [3, 1], [2, 2], [5, 1]]);
    expect(p.reduce((n, q) => n + q.width * q.height, 0)).toBe(15);
  });
});

describe('decodePng: bounded work on hostile data', () => {
  it('named: a 1.2 MB PNG declaring 100x100 whose IDAT inflates to 1.2 GB -> IMAGE_DECODE_FAILED (inflate-limit)', async () => {
    const bomb = png({ width: 100, height: 100, zlib: zerosZlib(1200) });
    expect(bomb.length).toBeGreaterThan(1_000_000);
    expect(bomb.length).toBeLessThan(1_400_000);
    for (const engine of ENGINES) {
      const e = await decodePng(bomb, { maxPixels: MAX, engine }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ImageInputError);
      expect(e).toMatchObject({ code: 'IMAGE_DECODE_FAILED', details: { reason: 'inflate-limit', limit: 40100 + INFLATE_SLACK } });
    }
  });

  it('the same bomb declared interlaced, or as a 12 MP image, stops at the declared bytes too', async () => {
    for (const [width, height, interlace] of [[100, 100, 1], [4000, 3000, 0]]) {
      const bomb = png({ width, height, interlace, zlib: zerosZlib(1200) });
      const e = await decodePngRows(bomb, { maxPixels: MAX, onRow: () => {} }).catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'IMAGE_DECODE_FAILED', details: { reason: 'inflate-limit' } });
    }
  });

  it('image data a little longer than declared (within the slack) still decodes; exactly declared is fine', async () => {
    const raw = new Uint8Array(2 * (1 + 2 * 4) + 100); // 2x2 RGBA plus 100 surplus bytes
    const z = (n: number) => concat([Uint8Array.from([0x78, 0x9c]), deflateRawSync(raw.subarray(0, n)), adler(raw.subarray(0, n))]);
    expect((await decodePng(png({ width: 2, height: 2, zlib: z(18) }), { maxPixels: MAX })).data.length).toBe(16);
    expect((await decodePng(png({ width: 2, height: 2, zlib: z(118) }), { maxPixels: MAX })).data.length).toBe(16);
    expect(await errorCode(decodePng(png({ width: 2, height: 2, zlib: z(17) }), { maxPixels: MAX }), ImageInputError)).toBe('IMAGE_DECODE_FAILED');
  });

  it('a header far larger than its data could inflate to -> IMAGE_DECODE_FAILED before any allocation', async () => {
    const before = process.memoryUsage().arrayBuffers;
    const e = await decodePng(png({ width: 6000, height: 6000, zlib: zerosZlib(1) }), { maxPixels: MAX }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'IMAGE_DECODE_FAILED', details: { reason: 'too little image data for the declared size' } });
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 2 ** 20);
  });

  it('more pixels than maxPixels -> IMAGE_TOO_LARGE; bad CRC, missing IEND, bad filter byte -> IMAGE_DECODE_FAILED', async () => {
    const ok = fx('rgb.png');
    expect(await errorCode(decodePng(ok, { maxPixels: 100 }), ImageInputError)).toBe('IMAGE_TOO_LARGE');
    const badCrc = ok.slice();
    badCrc[20] ^= 1;
    expect(await errorCode(decodePng(badCrc, { maxPixels: MAX }), ImageInputError)).toBe('IMAGE_DECODE_FAILED');
    expect(await errorCode(decodePng(ok.subarray(0, ok.length - 12), { maxPixels: MAX }), ImageInputError)).toBe('IMAGE_DECODE_FAILED');
    const raw = Uint8Array.from([7, 1, 2, 3]); // filter type 7 does not exist
    const z = concat([Uint8Array.from([0x78, 0x9c]), deflateRawSync(raw), adler(raw)]);
    for (const engine of ENGINES) {
      const e = await decodePng(png({ width: 1, height: 1, colorType: 2, zlib: z }), { maxPixels: MAX, engine }).catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'IMAGE_DECODE_FAILED', details: { reason: 'filter' } });
    }
  });
});

function adler(b: Uint8Array): Uint8Array {
  let a = 1;
  let s = 0;
  for (const v of b) {
    a = (a + v) % 65521;
    s = (s + a) % 65521;
  }
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, ((s << 16) | a) >>> 0);
  return out;
}
