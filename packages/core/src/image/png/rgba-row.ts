/**
 * One unfiltered PNG scanline (any colour type, 1..16 bits, palette, tRNS) -> 8-bit straight RGBA. 16-bit samples
 * keep their high byte, rounded (`(v * 255 + 32767) / 65535`); sub-byte grey is scaled to 0..255; palettes and tRNS
 * colour keys become alpha.
 */
import type { PngStructure } from './chunks.js';

/** Converts `width` pixels of `line` into `out` (width * 4 bytes). */
export type RowConverter = (line: Uint8Array, width: number, out: Uint8Array) => void;

/**
 * Picks the converter for a PNG's colour type and depth (fast paths for the common 8-bit layouts).
 *
 * @example
 * ```ts
 * const toRgba = rowConverter(structure);
 * toRgba(scanline, structure.width, rgbaRow);
 * ```
 */
export function rowConverter(s: Pick<PngStructure, 'depth' | 'colorType' | 'channels' | 'palette' | 'transparentKey'>): RowConverter {
  const { depth, colorType, palette, transparentKey: key } = s;
  if (colorType === 3 && palette) {
    const pal = palette;
    return (line, width, out) => {
      for (let x = 0; x < width; x++) {
        const p = sample(line, x, depth) * 4;
        const o = x * 4;
        out[o] = pal[p];
        out[o + 1] = pal[p + 1];
        out[o + 2] = pal[p + 2];
        out[o + 3] = pal[p + 3];
      }
    };
  }
  if (depth === 8 && !key) {
    if (colorType === 2) {
      return (line, width, out) => {
        for (let x = 0, s = 0, o = 0; x < width; x++, s += 3, o += 4) {
          out[o] = line[s];
          out[o + 1] = line[s + 1];
          out[o + 2] = line[s + 2];
          out[o + 3] = 255;
        }
      };
    }
    if (colorType === 6) return (line, width, out) => out.set(line.subarray(0, width * 4));
    if (colorType === 0) {
      return (line, width, out) => {
        for (let x = 0, o = 0; x < width; x++, o += 4) {
          const v = line[x];
          out[o] = v;
          out[o + 1] = v;
          out[o + 2] = v;
          out[o + 3] = 255;
        }
      };
    }
  }
  // General path: read raw samples at the image's depth, then scale to 8 bits.
  const C = s.channels;
  const max = (1 << depth) - 1;
  const to8 = depth === 8 ? (v: number) => v : depth === 16 ? (v: number) => ((v * 255 + 32767) / 65535) | 0 : (v: number) => Math.round((v * 255) / max);
  return (line, width, out) => {
    for (let x = 0, o = 0; x < width; x++, o += 4) {
      const i = x * C;
      if (C <= 2) {
        const g = sample(line, i, depth);
        const a = C === 2 ? sample(line, i + 1, depth) : key && g === key[0] ? 0 : max;
        out[o] = out[o + 1] = out[o + 2] = to8(g);
        out[o + 3] = to8(a);
      } else {
        const r = sample(line, i, depth);
        const g = sample(line, i + 1, depth);
        const b = sample(line, i + 2, depth);
        const a = C === 4 ? sample(line, i + 3, depth) : key && r === key[0] && g === key[1] && b === key[2] ? 0 : max;
        out[o] = to8(r);
        out[o + 1] = to8(g);
        out[o + 2] = to8(b);
        out[o + 3] = to8(a);
      }
    }
  };
}

/** Sample `i` of a packed scanline (big-endian for 16 bits, MSB-first for sub-byte depths). */
function sample(line: Uint8Array, i: number, depth: number): number {
  if (depth === 8) return line[i];
  if (depth === 16) return (line[i * 2] << 8) | line[i * 2 + 1];
  const bit = i * depth;
  return (line[bit >> 3] >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
}
