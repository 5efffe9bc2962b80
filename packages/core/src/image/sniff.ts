/**
 * Format detection from magic bytes and header-only size reading. Nothing here decodes pixels or allocates in
 * proportion to the image, so it is safe to run on untrusted uploads before deciding whether to decode.
 * Content-Type headers are never consulted: clients lie.
 */
import { ResNetEdgeError } from '../errors.js';
import type { ImageFormat, ImageInfo } from './types.js';

const SUPPORTED: ReadonlySet<ImageFormat> = new Set(['jpeg', 'png', 'webp']);

function u16be(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}
function u16le(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}
function u32be(b: Uint8Array, o: number): number {
  return ((b[o] << 24) >>> 0) + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);
}
function u24le(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16);
}
function ascii(b: Uint8Array, o: number, s: string): boolean {
  if (o + s.length > b.length) return false;
  for (let i = 0; i < s.length; i++) if (b[o + i] !== s.charCodeAt(i)) return false;
  return true;
}

/**
 * Detects the format of encoded image bytes and reads the pixel size from the header (JPEG SOFn, PNG IHDR,
 * WebP VP8/VP8L/VP8X, GIF, BMP). Never decodes; cost is bounded by the header size.
 *
 * @example
 * ```ts
 * const info = sniffImage(new Uint8Array(await file.arrayBuffer()));
 * if (!info.supported) throw new Error(`cannot read ${info.format}`);
 * console.log(info.width, info.height);
 * ```
 */
export function sniffImage(bytes: Uint8Array): ImageInfo {
  if (!(bytes instanceof Uint8Array)) throw new ResNetEdgeError('INVALID_ARGUMENT', 'sniffImage takes the encoded bytes as a Uint8Array.');
  const format = sniffFormat(bytes);
  const info: ImageInfo = { format, supported: SUPPORTED.has(format) };
  let dims: { width: number; height: number; orientation?: number } | undefined;
  if (format === 'jpeg') dims = jpegHeader(bytes);
  else if (format === 'png') dims = bytes.length >= 24 && ascii(bytes, 12, 'IHDR') ? { width: u32be(bytes, 16), height: u32be(bytes, 20) } : undefined;
  else if (format === 'webp') dims = webpHeader(bytes);
  else if (format === 'gif' && bytes.length >= 10) dims = { width: u16le(bytes, 6), height: u16le(bytes, 8) };
  else if (format === 'bmp' && bytes.length >= 26) {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    dims = { width: Math.abs(v.getInt32(18, true)), height: Math.abs(v.getInt32(22, true)) };
  }
  if (dims) {
    info.width = dims.width;
    info.height = dims.height;
    if (dims.orientation !== undefined) info.orientation = dims.orientation;
  }
  return info;
}

/**
 * Detects the container format from magic bytes only.
 *
 * @example
 * ```ts
 * sniffFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])); // 'jpeg'
 * ```
 */
export function sniffFormat(b: Uint8Array): ImageFormat {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 'PNG\r\n\x1a\n')) return 'png';
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return 'webp';
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return 'gif';
  if (ascii(b, 0, 'BM') && b.length >= 26) return 'bmp';
  if (ascii(b, 0, 'II*\0') || ascii(b, 0, 'MM\0*')) return 'tiff';
  if (ascii(b, 4, 'ftyp')) {
    const brand = String.fromCharCode(b[8], b[9], b[10], b[11]);
    if (brand === 'avif' || brand === 'avis') return 'avif';
    if (['heic', 'heix', 'hevc', 'hevx', 'mif1', 'msf1', 'heim', 'heis'].includes(brand)) return 'heic';
  }
  if (ascii(b, 0, '%PDF-')) return 'pdf';
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5 || b[2] === 7)) return 'zip';
  return looksLikeText(b);
}

/** Text heuristic over the first 512 bytes: valid UTF-8, no NULs, almost no C0 control bytes. SVG/XML is named separately. */
function looksLikeText(b: Uint8Array): ImageFormat {
  if (b.length === 0) return 'unknown';
  let start = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  const end = Math.min(b.length, start + 512);
  let control = 0;
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c === 0) return 'unknown';
    if (c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12) control++;
  }
  if (control > (end - start) / 32) return 'unknown';
  try {
    // stream: true tolerates a multi-byte character cut at the sample boundary.
    new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(start, end), { stream: true });
  } catch {
    return 'unknown';
  }
  while (start < end && (b[start] === 0x20 || b[start] === 9 || b[start] === 10 || b[start] === 13)) start++;
  const head = String.fromCharCode(...b.subarray(start, Math.min(end, start + 256))).toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'svg';
  return 'text';
}

/** SOFn markers carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames. */
function isSof(m: number): boolean {
  return m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
}

function jpegHeader(b: Uint8Array): { width: number; height: number; orientation?: number } | undefined {
  let o = 2;
  let orientation: number | undefined;
  while (o + 4 <= b.length) {
    if (b[o] !== 0xff) return undefined; // lost sync: corrupt header
    const m = b[o + 1];
    if (m === 0xff) {
      o++; // fill byte
      continue;
    }
    if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
      o += 2; // markers without a length
      continue;
    }
    if (m === 0xd9 || m === 0xda) return undefined; // EOI/SOS before any SOF
    const len = u16be(b, o + 2);
    if (len < 2) return undefined;
    if (isSof(m)) {
      if (o + 9 > b.length) return undefined;
      return { height: u16be(b, o + 5), width: u16be(b, o + 7), ...(orientation ? { orientation } : {}) };
    }
    if (m === 0xe1 && orientation === undefined) orientation = exifOrientation(b, o + 4, Math.min(b.length, o + 2 + len));
    o += 2 + len;
  }
  return undefined;
}

/** Reads tag 0x0112 from IFD0 of an APP1 Exif payload; undefined when absent or malformed. */
function exifOrientation(b: Uint8Array, start: number, end: number): number | undefined {
  if (!ascii(b, start, 'Exif\0\0')) return undefined;
  const t = start + 6;
  if (t + 8 > end) return undefined;
  const le = b[t] === 0x49 && b[t + 1] === 0x49;
  if (!le && !(b[t] === 0x4d && b[t + 1] === 0x4d)) return undefined;
  const r16 = (o: number) => (le ? u16le(b, o) : u16be(b, o));
  const r32 = (o: number) => (le ? (u16le(b, o) | (u16le(b, o + 2) << 16)) >>> 0 : u32be(b, o));
  const ifd = t + r32(t + 4);
  if (ifd + 2 > end) return undefined;
  const n = r16(ifd);
  for (let i = 0; i < n; i++) {
    const e = ifd + 2 + i * 12;
    if (e + 12 > end) return undefined;
    if (r16(e) === 0x0112) {
      const v = r16(e + 8);
      return v >= 1 && v <= 8 ? v : undefined;
    }
  }
  return undefined;
}

function webpHeader(b: Uint8Array): { width: number; height: number } | undefined {
  if (b.length < 30) return undefined;
  const d = 20; // first chunk payload
  if (ascii(b, 12, 'VP8 ')) {
    // Frame tag (3 bytes) then start code 9d 01 2a, then 14-bit width/height (top 2 bits are scaling).
    if (b[d + 3] !== 0x9d || b[d + 4] !== 0x01 || b[d + 5] !== 0x2a) return undefined;
    return { width: u16le(b, d + 6) & 0x3fff, height: u16le(b, d + 8) & 0x3fff };
  }
  if (ascii(b, 12, 'VP8L')) {
    if (b[d] !== 0x2f) return undefined;
    const bits = (b[d + 1] | (b[d + 2] << 8) | (b[d + 3] << 16) | (b[d + 4] << 24)) >>> 0;
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (ascii(b, 12, 'VP8X')) return { width: u24le(b, d + 4) + 1, height: u24le(b, d + 7) + 1 };
  return undefined;
}
