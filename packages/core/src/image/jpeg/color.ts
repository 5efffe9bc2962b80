/**
 * Colour conversion of one row to RGBA (alpha 255), bit-exact with libjpeg-turbo's jdcolor.c (16-bit fixed-point
 * YCbCr tables) and, for 4-component files, with Pillow 9.4: libjpeg's CMYK (YCCK converted by ycck_cmyk_convert),
 * inverted as Pillow's "CMYK;I" raw mode does (Adobe convention), then Pillow's CMYK -> RGB.
 */
import type { JpegState } from './markers.js';

/** How the decoded components map to colour (libjpeg's default_decompress_parms). */
export type ColorTransform = 'gray' | 'ycc' | 'rgb' | 'cmyk' | 'ycck';

export function colorTransform(st: JpegState): ColorTransform {
  const comps = st.frame!.components;
  if (comps.length === 1) return 'gray';
  if (comps.length === 3) {
    if (st.jfif) return 'ycc';
    if (st.adobeTransform >= 0) return st.adobeTransform === 0 ? 'rgb' : 'ycc';
    const [a, b, c] = comps.map((x) => x.id);
    if (a === 82 && b === 71 && c === 66) return 'rgb'; // 'R', 'G', 'B'
    return 'ycc';
  }
  if (st.adobeTransform >= 0) return st.adobeTransform === 0 ? 'cmyk' : 'ycck';
  return 'cmyk';
}

const CR_R = new Int32Array(256);
const CB_B = new Int32Array(256);
const CR_G = new Int32Array(256);
const CB_G = new Int32Array(256);
for (let i = 0; i < 256; i++) {
  const x = i - 128;
  // FIX(v) = round(v * 2^16); ONE_HALF = 2^15
  CR_R[i] = (91881 * x + 32768) >> 16;
  CB_B[i] = (116130 * x + 32768) >> 16;
  CR_G[i] = -46802 * x;
  CB_G[i] = -22554 * x + 32768;
}

/** clamp(v) = CLAMP[v + 384] for v in -384..639. */
const CLAMP = new Uint8Array(1024);
for (let i = 0; i < 1024; i++) CLAMP[i] = Math.max(0, Math.min(255, i - 384));

export function grayRow(y: Uint8Array, yo: number, out: Uint8Array, o: number, width: number): void {
  for (let x = 0; x < width; x++) {
    const v = y[yo + x];
    out[o] = v;
    out[o + 1] = v;
    out[o + 2] = v;
    out[o + 3] = 255;
    o += 4;
  }
}

export function yccRow(y: Uint8Array, yo: number, cb: Uint8Array, cbo: number, cr: Uint8Array, cro: number, out: Uint8Array, o: number, width: number): void {
  for (let x = 0; x < width; x++) {
    const l = y[yo + x] + 384;
    const b = cb[cbo + x];
    const r = cr[cro + x];
    out[o] = CLAMP[l + CR_R[r]];
    out[o + 1] = CLAMP[l + ((CB_G[b] + CR_G[r]) >> 16)];
    out[o + 2] = CLAMP[l + CB_B[b]];
    out[o + 3] = 255;
    o += 4;
  }
}

export function rgbRow(r: Uint8Array, ro: number, g: Uint8Array, go: number, b: Uint8Array, bo: number, out: Uint8Array, o: number, width: number): void {
  for (let x = 0; x < width; x++) {
    out[o] = r[ro + x];
    out[o + 1] = g[go + x];
    out[o + 2] = b[bo + x];
    out[o + 3] = 255;
    o += 4;
  }
}

/** Pillow's cmyk2rgb on Pillow's CMYK (255 - libjpeg's values): with k' = libjpeg's K, v = k' - k' * (255 - c) / 255. */
function cmykChannel(c: number, k: number): number {
  const t = (255 - c) * k + 128;
  return k - (((t >> 8) + t) >> 8);
}

export function cmykRow(
  c: Uint8Array, co: number, m: Uint8Array, mo: number, y: Uint8Array, yo: number, k: Uint8Array, ko: number,
  ycck: boolean, out: Uint8Array, o: number, width: number,
): void {
  for (let x = 0; x < width; x++) {
    let cv = c[co + x];
    let mv = m[mo + x];
    let yv = y[yo + x];
    const kv = k[ko + x];
    if (ycck) {
      // libjpeg ycck_cmyk_convert: C, M, Y = 255 - (Y/Cb/Cr -> R, G, B)
      const l = cv + 384;
      cv = 255 - CLAMP[l + CR_R[yv]];
      const g = 255 - CLAMP[l + ((CB_G[mv] + CR_G[yv]) >> 16)];
      yv = 255 - CLAMP[l + CB_B[mv]];
      mv = g;
    }
    out[o] = cmykChannel(cv, kv);
    out[o + 1] = cmykChannel(mv, kv);
    out[o + 2] = cmykChannel(yv, kv);
    out[o + 3] = 255;
    o += 4;
  }
}
