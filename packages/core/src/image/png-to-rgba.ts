/** Expands fast-png's decoded output (any colour type, 1..16 bits, palette, tRNS) into 8-bit straight RGBA. */
import type { DecodedPng } from 'fast-png';
import type { RgbaImage } from './types.js';

/**
 * Converts a fast-png decode result to RGBA8. 16-bit samples keep their high byte (rounded), sub-byte grey is
 * scaled to 0..255, palettes and tRNS colour keys become alpha.
 *
 * @example
 * ```ts
 * const rgba = pngToRgba(decodePng(bytes, { checkCrc: true }));
 * ```
 */
export function pngToRgba(png: DecodedPng): RgbaImage {
  const { width, height, depth, channels } = png;
  const out = new Uint8Array(width * height * 4);
  const samples = unpackSamples(png);
  const n = width * height;
  if (png.palette) {
    const pal = png.palette;
    // Flatten the palette once so the pixel loop is index arithmetic only.
    const lut = new Uint8Array(256 * 4);
    for (let i = 0; i < pal.length && i < 256; i++) {
      const c = pal[i];
      lut[i * 4] = c[0];
      lut[i * 4 + 1] = c[1];
      lut[i * 4 + 2] = c[2];
      lut[i * 4 + 3] = c.length > 3 ? c[3] : 255;
    }
    for (let i = 0; i < n; i++) {
      const p = samples[i] * 4;
      out.set(lut.subarray(p, p + 4), i * 4);
    }
    return { width, height, data: out };
  }
  const max = (1 << depth) - 1;
  const to8 = depth === 8 ? null : depth === 16 ? (v: number) => (v * 255 + 32767) / 65535 | 0 : (v: number) => Math.round((v * 255) / max);
  const trns = png.transparency;
  for (let i = 0, s = 0, o = 0; i < n; i++, o += 4, s += channels) {
    let r: number, g: number, b: number, a: number;
    if (channels <= 2) {
      r = g = b = samples[s];
      a = channels === 2 ? samples[s + 1] : trns && trns.length >= 1 && samples[s] === trns[0] ? 0 : max;
    } else {
      r = samples[s];
      g = samples[s + 1];
      b = samples[s + 2];
      a = channels === 4 ? samples[s + 3] : trns && trns.length >= 3 && r === trns[0] && g === trns[1] && b === trns[2] ? 0 : max;
    }
    if (to8) {
      r = to8(r);
      g = to8(g);
      b = to8(b);
      a = to8(a);
    }
    out[o] = r;
    out[o + 1] = g;
    out[o + 2] = b;
    out[o + 3] = a;
  }
  return { width, height, data: out };
}

/** Returns one sample per array element; sub-byte depths are packed per row (rows start on a byte boundary). */
function unpackSamples(png: DecodedPng): ArrayLike<number> {
  const { width, height, depth, channels, data } = png;
  if (depth >= 8) return data;
  const perRow = width * channels;
  const rowBytes = Math.ceil((perRow * depth) / 8);
  const out = new Uint8Array(perRow * height);
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    const row = y * rowBytes;
    for (let i = 0; i < perRow; i++) {
      const bit = i * depth;
      out[y * perRow + i] = (data[row + (bit >> 3)] >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}
