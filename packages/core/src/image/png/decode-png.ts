/**
 * PNG -> RGBA rows with memory bounded before any work is done: the chunk structure (CRCs, IEND) is checked first,
 * the declared size against `maxPixels`, the compressed size against deflate's maximum ratio (a header claiming far
 * more pixels than the data can hold is refused without allocating), and inflation stops at the bytes the header
 * declares plus a small slack. Non-interlaced images stream one row at a time (O(width) memory); Adam7 images need
 * the whole RGBA image (4 bytes per pixel, at most `maxPixels * 4`) because every pass touches every row.
 */
import { ImageInputError } from '../../errors.js';
import type { RgbaImage } from '../types.js';
import { readPngStructure, type PngStructure } from './chunks.js';
import { inflateBounded, type InflateEngine } from './inflate.js';
import { rowConverter } from './rgba-row.js';
import { expectedBytes, passes, ScanlineReader, type Pass } from './scanlines.js';

/** Inflated bytes accepted past the declared image data before the stream counts as a bomb. */
export const INFLATE_SLACK = 1024;
/** Deflate's best case: a 258-byte match coded in 2 bits. No zlib stream expands more than this per input byte. */
const MAX_DEFLATE_RATIO = 1032;

export interface PngDecodeOptions {
  /** Refuse images with more pixels than this (`IMAGE_TOO_LARGE`). */
  maxPixels: number;
  /** Inflate implementation (tests); default Node's zlib in Node, else DecompressionStream, else fflate. */
  engine?: InflateEngine;
}

function failed(why: string, details: Record<string, unknown> = {}): ImageInputError {
  return new ImageInputError('IMAGE_DECODE_FAILED', `The png data is corrupt or truncated (${why}).`, { details: { format: 'png', reason: why, ...details } });
}

/** Structure plus the budget checks that need no pixel work. */
function open(bytes: Uint8Array, o: PngDecodeOptions): { s: PngStructure; expected: number } {
  const s = readPngStructure(bytes);
  if (s.width * s.height > o.maxPixels) {
    throw new ImageInputError('IMAGE_TOO_LARGE', `The image is ${s.width}x${s.height}, more than ${o.maxPixels} pixels.`, {
      details: { format: 'png', width: s.width, height: s.height, maxPixels: o.maxPixels },
    });
  }
  const expected = expectedBytes(s, s.depth * s.channels);
  if (s.idatBytes * MAX_DEFLATE_RATIO + 64 < expected) {
    throw failed('too little image data for the declared size', { idatBytes: s.idatBytes, expectedBytes: expected });
  }
  return { s, expected };
}

/** Runs the bounded inflate through a scanline reader; throws unless exactly the declared data arrived. */
async function inflateLines(o: { s: PngStructure; expected: number; engine?: InflateEngine; onLine: (line: Uint8Array, p: Pass, row: number) => void }): Promise<void> {
  const { s } = o;
  const reader = new ScanlineReader({ passes: passes(s), bitsPerPixel: s.depth * s.channels, onLine: o.onLine });
  try {
    await inflateBounded({ parts: s.idat, limit: o.expected + INFLATE_SLACK, engine: o.engine, sink: (chunk) => void reader.push(chunk) });
  } catch (e) {
    // Like libpng and Pillow: damage after the last scanline (a bad Adler-32, trailing junk) does not lose the image.
    const zlibAfterEnd = e instanceof ImageInputError && e.details?.reason === 'zlib' && reader.bytesWanted === 0;
    if (!zlibAfterEnd) throw e;
  }
  if (reader.bytesWanted > 0) throw failed('image data ends early', { missingBytes: reader.bytesWanted });
}

/**
 * Decodes a PNG and hands each RGBA8 row to `onRow` in top-to-bottom order (the row array is reused between calls).
 * `onHeader` runs once the structure and budgets are checked, before any inflation.
 *
 * @example
 * ```ts
 * await decodePngRows(bytes, { maxPixels: 48e6, onHeader: (w, h) => setup(w, h), onRow: (row, y) => resampler.push(row) });
 * ```
 */
export async function decodePngRows(
  bytes: Uint8Array,
  o: PngDecodeOptions & {
    /** Layouts the caller takes as they are stored (opaque 8-bit RGB or grey); anything else comes as RGBA. */
    layouts?: ReadonlyArray<'rgb' | 'gray'>;
    onHeader?: (width: number, height: number, layout: 'rgba' | 'rgb' | 'gray') => void;
    onRow: (row: Uint8Array, y: number) => void;
  },
): Promise<{ width: number; height: number }> {
  const { s, expected } = open(bytes, o);
  const { width, height } = s;
  const native = s.depth === 8 && !s.transparentKey && !s.interlaced ? ({ 2: 'rgb', 0: 'gray' } as const)[s.colorType as 0 | 2] : undefined;
  const layout = native && o.layouts?.includes(native) ? native : 'rgba';
  o.onHeader?.(width, height, layout);
  if (layout !== 'rgba') {
    await inflateLines({ s, expected, engine: o.engine, onLine: (line, _p, y) => o.onRow(line, y) });
    return { width, height };
  }
  const convert = rowConverter(s);
  if (!s.interlaced) {
    const row = new Uint8Array(width * 4);
    await inflateLines({ s, expected, engine: o.engine, onLine: (line, _p, y) => {
      convert(line, width, row);
      o.onRow(row, y);
    } });
    return { width, height };
  }
  const full = await decodeInterlaced(s, expected, o.engine);
  for (let y = 0; y < height; y++) o.onRow(full.subarray(y * width * 4, (y + 1) * width * 4), y);
  return { width, height };
}

async function decodeInterlaced(s: PngStructure, expected: number, engine?: InflateEngine): Promise<Uint8Array> {
  const { width } = s;
  const convert = rowConverter(s);
  const full = new Uint8Array(width * s.height * 4);
  const words = new Uint32Array(full.buffer);
  const tmp = new Uint8Array(width * 4);
  const tmpWords = new Uint32Array(tmp.buffer);
  await inflateLines({ s, expected, engine, onLine: (line, p, row) => {
    convert(line, p.width, tmp);
    const y = p.y0 + row * p.dy;
    for (let i = 0, x = p.x0; i < p.width; i++, x += p.dx) words[y * width + x] = tmpWords[i];
  } });
  return full;
}

/**
 * Decodes a whole PNG to RGBA8 (memory: the output image; the inflated data is never held whole).
 *
 * @example
 * ```ts
 * const img = await decodePng(bytes, { maxPixels: 48_000_000 });
 * ```
 */
export async function decodePng(bytes: Uint8Array, o: PngDecodeOptions): Promise<RgbaImage> {
  const { s, expected } = open(bytes, o);
  const { width, height } = s;
  if (s.interlaced) return { width, height, data: await decodeInterlaced(s, expected, o.engine) };
  const data = new Uint8Array(width * height * 4);
  const convert = rowConverter(s);
  await inflateLines({ s, expected, engine: o.engine, onLine: (line, _p, y) => convert(line, width, data.subarray(y * width * 4, (y + 1) * width * 4)) });
  return { width, height, data };
}
