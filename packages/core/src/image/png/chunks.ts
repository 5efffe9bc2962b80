/**
 * PNG container: signature, chunk walk with CRC checks, IHDR/PLTE/tRNS parsing, the IDAT payloads (as views, no
 * copies) and a required IEND, so any truncation of the file is an error before a single pixel is inflated.
 */
import { ImageInputError } from '../../errors.js';
import { nodeZlib } from './node-zlib.js';

/** Header and the chunks the pixel decoder needs. */
export interface PngStructure {
  width: number;
  height: number;
  /** Bits per sample: 1, 2, 4, 8 or 16. */
  depth: number;
  /** 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA. */
  colorType: number;
  interlaced: boolean;
  /** Samples per pixel (1..4). */
  channels: number;
  /** PLTE as RGBA8 (256 entries, alpha from tRNS), for colour type 3. */
  palette?: Uint8Array;
  /** tRNS colour key at the image's bit depth: [grey] or [r, g, b]. */
  transparentKey?: number[];
  /** IDAT payloads in file order (views into the input). */
  idat: Uint8Array[];
  idatBytes: number;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO 3309, as PNG uses it): Node's native one where present, else slicing by 4 bytes in JS. */
export function crc32(b: Uint8Array, start: number, end: number): number {
  const native = nodeZlib()?.crc32;
  if (native) return native(b.subarray(start, end)) >>> 0;
  return crc32Js(b, start, end);
}

/** The portable CRC-32 (exported for tests). */
export function crc32Js(b: Uint8Array, start: number, end: number): number {
  const t = (crcTable ??= makeTable());
  let c = ~0;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    c ^= b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
    c = t[768 + (c & 0xff)] ^ t[512 + ((c >>> 8) & 0xff)] ^ t[256 + ((c >>> 16) & 0xff)] ^ t[c >>> 24];
  }
  for (; i < end; i++) c = t[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

function makeTable(): Uint32Array {
  const t = new Uint32Array(1024);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) for (let s = 1; s < 4; s++) t[s * 256 + n] = (t[(s - 1) * 256 + n] >>> 8) ^ t[t[(s - 1) * 256 + n] & 0xff];
  return t;
}

function fail(why: string): ImageInputError {
  return new ImageInputError('IMAGE_DECODE_FAILED', `The png data is corrupt or truncated (${why}).`, { details: { format: 'png', reason: why } });
}

const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) >>> 0) + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);

/**
 * Walks every chunk of a PNG, checking CRCs, order and the header fields; throws `IMAGE_DECODE_FAILED` on anything
 * malformed or missing (no IHDR, no IDAT, no IEND, a chunk running past the end).
 *
 * @example
 * ```ts
 * const s = readPngStructure(bytes);
 * console.log(s.width, s.height, s.idatBytes);
 * ```
 */
export function readPngStructure(b: Uint8Array): PngStructure {
  if (b.length < 8 || b[0] !== 0x89 || b[1] !== 0x50 || b[2] !== 0x4e || b[3] !== 0x47) throw fail('no PNG signature');
  let o = 8;
  let head: PngStructure | undefined;
  let plte: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  let ended = false;
  const idat: Uint8Array[] = [];
  let idatBytes = 0;
  while (!ended) {
    if (o + 12 > b.length) throw fail('truncated chunk');
    const len = u32(b, o);
    const type = String.fromCharCode(b[o + 4], b[o + 5], b[o + 6], b[o + 7]);
    const end = o + 8 + len;
    if (len > 0x7fffffff || end + 4 > b.length) throw fail(`truncated ${type} chunk`);
    if (crc32(b, o + 4, end) !== u32(b, end)) throw fail(`bad CRC in ${type}`);
    const data = b.subarray(o + 8, end);
    if (!head && type !== 'IHDR') throw fail('IHDR is not the first chunk');
    if (type === 'IHDR') head = parseHeader(data);
    else if (type === 'PLTE') plte = data;
    else if (type === 'tRNS') trns = data;
    else if (type === 'IDAT') {
      idat.push(data);
      idatBytes += len;
    } else if (type === 'IEND') ended = true;
    else if ((b[o + 4] & 0x20) === 0) throw fail(`unknown critical chunk ${type}`);
    o = end + 4;
  }
  if (!head || idat.length === 0) throw fail('no image data');
  if (head.colorType === 3) {
    if (!plte || plte.length % 3 !== 0 || plte.length === 0) throw fail('palette image without a valid PLTE');
    head.palette = paletteRgba(plte, trns);
  } else if (trns && (head.colorType === 0 || head.colorType === 2)) {
    const n = head.colorType === 0 ? 1 : 3;
    if (trns.length >= n * 2) head.transparentKey = Array.from({ length: n }, (_, i) => (trns[i * 2] << 8) | trns[i * 2 + 1]);
  }
  head.idat = idat;
  head.idatBytes = idatBytes;
  return head;
}

function parseHeader(d: Uint8Array): PngStructure {
  if (d.length !== 13) throw fail('IHDR has the wrong length');
  const width = u32(d, 0);
  const height = u32(d, 4);
  const [depth, colorType, compression, filter, interlace] = d.subarray(8, 13);
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) throw fail('zero or huge size in IHDR');
  if (!DEPTHS[colorType]?.includes(depth)) throw fail(`colour type ${colorType} with bit depth ${depth}`);
  if (compression !== 0 || filter !== 0 || interlace > 1) throw fail('unknown compression, filter or interlace method');
  return { width, height, depth, colorType, interlaced: interlace === 1, channels: CHANNELS[colorType], idat: [], idatBytes: 0 };
}

/** PLTE (+ tRNS alphas) flattened to 256 RGBA entries; indices past the palette read as opaque black, as libpng does. */
function paletteRgba(plte: Uint8Array, trns: Uint8Array | undefined): Uint8Array {
  const lut = new Uint8Array(256 * 4);
  for (let i = 0; i < 256; i++) lut[i * 4 + 3] = 255;
  for (let i = 0; i * 3 < plte.length && i < 256; i++) {
    lut[i * 4] = plte[i * 3];
    lut[i * 4 + 1] = plte[i * 3 + 1];
    lut[i * 4 + 2] = plte[i * 3 + 2];
    if (trns && i < trns.length) lut[i * 4 + 3] = trns[i];
  }
  return lut;
}
