import { describe, expect, it } from 'vitest';
import { applyOrientation } from './orient.js';

/** 3x2 image whose pixels are a..f (stored in the red channel as 1..6): a b c / d e f. */
const src = { width: 3, height: 2, data: new Uint8Array(24) };
for (let i = 0; i < 6; i++) src.data.set([i + 1, 0, 0, 255], i * 4);
const letters = (img: { width: number; data: Uint8Array | Uint8ClampedArray }) => {
  const s = Array.from(img.data.filter((_, i) => i % 4 === 0), (v) => 'abcdef'[v - 1]).join('');
  return s.match(new RegExp(`.{${img.width}}`, 'g'))!.join('/');
};

describe('applyOrientation (EXIF 1..8, as viewers display them)', () => {
  it.each([
    [1, 'abc/def'],
    [2, 'cba/fed'], // mirror horizontal
    [3, 'fed/cba'], // rotate 180
    [4, 'def/abc'], // mirror vertical
    [5, 'ad/be/cf'], // transpose
    [6, 'da/eb/fc'], // rotate 90 CW
    [7, 'fc/eb/da'], // transverse
    [8, 'cf/be/ad'], // rotate 90 CCW
  ])('orientation %d -> %s', (o, want) => {
    expect(letters(applyOrientation(src, o))).toBe(want);
  });

  it('ignores missing or invalid values and handles unaligned views', () => {
    expect(applyOrientation(src, undefined)).toBe(src);
    expect(applyOrientation(src, 9)).toBe(src);
    const buf = new Uint8Array(25);
    buf.set(src.data, 1);
    expect(letters(applyOrientation({ width: 3, height: 2, data: buf.subarray(1) }, 3))).toBe('fed/cba');
  });
});
