import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeImage } from './decode.js';
import { coefficients, createResampler, resample8, resizeRgba } from './resize.js';
import { resizePlanar } from './resize-planar.js';
import type { RgbaImage } from './types.js';

const fx = (name: string) => new Uint8Array(readFileSync(new URL(`../../test-fixtures/images/${name}`, import.meta.url)));
const load = async (name: string) => decodeImage(fx(name));

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** 1-channel row source over a plain array. */
function gray(width: number, height: number, px: number[]) {
  const d = Uint8Array.from(px);
  return { width, height, channels: 1, row: (y: number) => d.subarray(y * width, (y + 1) * width) };
}

describe('resizeRgba matches Pillow Image.resize bit for bit', () => {
  const cases = JSON.parse(new TextDecoder().decode(fx('README.json'))).resizeCases as Record<string, [number, number]>;
  it.each(Object.entries(cases))('%s', async (name, [w, h]) => {
    const src = await load('resize-src.png');
    const want = await load(`resize-${name}.png`);
    const got = resizeRgba({ image: src, width: w, height: h, filter: name.startsWith('nearest') ? 'nearest' : 'bilinear' });
    expect(maxDiff(got.data, want.data)).toBe(0);
  });
});

describe('resize correctness', () => {
  it('identity size is exact (both filters)', async () => {
    const src = await load('resize-src.png');
    for (const filter of ['bilinear', 'nearest'] as const) {
      expect(maxDiff(resizeRgba({ image: src, width: src.width, height: src.height, filter }).data, src.data)).toBe(0);
    }
  });

  it('a constant image stays constant at any size', () => {
    const img: RgbaImage = { width: 13, height: 7, data: new Uint8Array(13 * 7 * 4).fill(173) };
    for (const [w, h] of [[1, 1], [3, 2], [13, 7], [50, 31], [6, 19]]) {
      for (const filter of ['bilinear', 'nearest'] as const) {
        expect(resizeRgba({ image: img, width: w, height: h, filter }).data.every((v) => v === 173)).toBe(true);
      }
    }
    const f = new Float32Array(2 * 9 * 5).fill(-0.75);
    expect(resizePlanar({ data: f, channels: 2, width: 9, height: 5, toWidth: 4, toHeight: 11 }).every((v) => Math.abs(v + 0.75) < 1e-6)).toBe(true);
  });

  it('2x downscale of a checkerboard averages to mid grey (antialiased, not aliased)', () => {
    const w = 16;
    const data = new Float32Array(w * w);
    for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) data[y * w + x] = (x + y) % 2 ? 255 : 0;
    const out = resizePlanar({ data, channels: 1, width: w, height: w, toWidth: 8, toHeight: 8 });
    // Interior outputs see whole periods of the pattern: exactly the average.
    for (let y = 1; y < 7; y++) for (let x = 1; x < 7; x++) expect(out[y * 8 + x]).toBeCloseTo(127.5, 4);
    // Nearest, by contrast, aliases to a single phase of the pattern.
    const near = resizePlanar({ data, channels: 1, width: w, height: w, toWidth: 8, toHeight: 8, filter: 'nearest' });
    expect(new Set(near).size).toBe(1);
    expect([0, 255]).toContain(near[0]);
    // 8-bit path: within rounding of the average.
    const rgba = new Uint8Array(w * w * 4);
    for (let i = 0; i < w * w; i++) rgba.fill(data[i], i * 4, i * 4 + 4);
    const o8 = resizeRgba({ image: { width: w, height: w, data: rgba }, width: 8, height: 8 });
    for (let y = 1; y < 7; y++) for (let x = 1; x < 7; x++) expect(Math.abs(o8.data[(y * 8 + x) * 4] - 127.5)).toBeLessThanOrEqual(1);
  });

  it('hand-computed bilinear: [0, 100] upscaled to 4 is [0, 25, 75, 100]', () => {
    // Output centres at 0.25, 0.75, 1.25, 1.75 source px; edge taps clamp.
    expect(Array.from(resample8({ src: gray(2, 1, [0, 100]), width: 4, height: 1, filter: 'bilinear' }))).toEqual([0, 25, 75, 100]);
    const f = resizePlanar({ data: Float32Array.from([0, 100]), channels: 1, width: 2, height: 1, toWidth: 4, toHeight: 1 });
    expect(Array.from(f)).toEqual([0, 25, 75, 100]);
  });

  it('hand-computed antialiased 2x downscale weights are [1/8, 3/8, 3/8, 1/8]', () => {
    const c = coefficients({ inSize: 8, outSize: 4, filter: 'bilinear' });
    expect(c.start[1]).toBe(1);
    expect(Array.from(c.weights.subarray(c.ksize, c.ksize + 4))).toEqual([0.125, 0.375, 0.375, 0.125]);
    // Pixels 1..4 = 10, 20, 30, 40 -> 10/8 + 60/8 + 90/8 + 40/8 = 25.
    const out = resizePlanar({ data: Float32Array.from([0, 10, 20, 30, 40, 50, 60, 70]), channels: 1, width: 8, height: 1, toWidth: 4, toHeight: 1 });
    expect(out[1]).toBeCloseTo(25, 5);
  });

  it('a window computes exactly the same pixels as the full resize', async () => {
    const src = await load('resize-src.png');
    const full = resizeRgba({ image: src, width: 29, height: 17 });
    const stride = src.width * 4;
    const win = resample8({
      src: { width: src.width, height: src.height, channels: 4, row: (y) => src.data.subarray(y * stride, (y + 1) * stride) },
      width: 29,
      height: 17,
      filter: 'bilinear',
      window: { x: 5, y: 3, width: 11, height: 9 },
    });
    for (let y = 0; y < 9; y++) {
      const a = win.subarray(y * 44, (y + 1) * 44);
      const b = full.data.subarray(((y + 3) * 29 + 5) * 4, ((y + 3) * 29 + 16) * 4);
      expect(maxDiff(a, b)).toBe(0);
    }
  });

  it('rejects bad sizes and windows', () => {
    const img: RgbaImage = { width: 2, height: 2, data: new Uint8Array(16) };
    expect(() => resizeRgba({ image: img, width: 0, height: 2 })).toThrow(/Invalid resize/);
    expect(() => resample8({ src: gray(2, 1, [0, 1]), width: 4, height: 1, filter: 'bilinear', window: { x: 2, y: 0, width: 3, height: 1 } })).toThrow();
  });

});

describe('createResampler: streaming and reduced sources', () => {
  it("a box (Pillow's resize(..., box=...)) over a reduced copy matches Pillow bit for bit", async () => {
    const cases = JSON.parse(new TextDecoder().decode(fx('README.json'))).boxCases as Record<string, { size: [number, number]; box: number[] }>;
    const src = await load('resize-src.png');
    for (const [name, { size, box }] of Object.entries(cases)) {
      const want = await load(`resize-${name}.png`);
      const r = createResampler({ srcWidth: src.width, srcHeight: src.height, channels: 4, width: size[0], height: size[1], filter: 'bilinear', extentWidth: box[2], extentHeight: box[3] });
      for (let y = 0; y < src.height; y++) r.push(src.data.subarray(y * src.width * 4, (y + 1) * src.width * 4));
      const rgbOnly = (d: Uint8Array | Uint8ClampedArray) => d.filter((_, i) => i % 4 !== 3);
      expect([name, maxDiff(rgbOnly(r.output), rgbOnly(want.data))]).toEqual([name, 0]);
    }
  });

  it('pushing rows one at a time equals resample8 for random sizes, windows and both filters', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    for (let t = 0; t < 40; t++) {
      const sw = 1 + rnd(60);
      const sh = 1 + rnd(60);
      const C = 1 + rnd(4);
      const w = 1 + rnd(30);
      const h = 1 + rnd(30);
      const win = { x: rnd(w), y: rnd(h), width: 0, height: 0 };
      win.width = 1 + rnd(w - win.x);
      win.height = 1 + rnd(h - win.y);
      const px = Uint8Array.from({ length: sw * sh * C }, () => rnd(256));
      const filter = t % 3 === 0 ? 'nearest' : 'bilinear';
      const src = { width: sw, height: sh, channels: C, row: (y: number) => px.subarray(y * sw * C, (y + 1) * sw * C) };
      const whole = resample8({ src, width: w, height: h, filter, window: win });
      const r = createResampler({ srcWidth: sw, srcHeight: sh, channels: C, width: w, height: h, filter, window: win });
      const reused = new Uint8Array(sw * C); // callers may reuse their row buffer
      for (let y = 0; y < sh; y++) {
        reused.set(src.row(y));
        r.push(reused);
      }
      expect(maxDiff(r.output, whole)).toBe(0);
    }
  });

  it('more rows than the source has -> INVALID_ARGUMENT', () => {
    const r = createResampler({ srcWidth: 2, srcHeight: 1, channels: 1, width: 1, height: 1, filter: 'bilinear' });
    r.push([1, 2]);
    expect(() => r.push([1, 2])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
