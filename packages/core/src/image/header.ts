/**
 * The checks every encoded image passes before a decoder runs, in one place so the SDK, the CLI and the Worker answer
 * the same input with the same error: empty -> `EMPTY_INPUT`; a cut-off signature or header -> `IMAGE_DECODE_FAILED`;
 * another format -> `UNSUPPORTED_IMAGE_FORMAT`; too many pixels -> `IMAGE_TOO_LARGE`; and a file far too small to hold
 * the pixels its header declares (a header-only "bomb", a truncated upload) -> `IMAGE_DECODE_FAILED`, all without
 * allocating anything in proportion to the declared size.
 */
import { ImageInputError } from '../errors.js';
import { DEFAULT_MAX_PIXELS, sizeLimit } from './limits.js';
import { sniffImage } from './sniff.js';
import type { ImageInfo } from './types.js';

/** What {@link checkImageHeader} guarantees on return. */
export interface CheckedImageInfo extends ImageInfo {
  format: 'jpeg' | 'png' | 'webp';
  width: number;
  height: number;
}

const SIGNATURES = [[0xff, 0xd8, 0xff], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0x52, 0x49, 0x46, 0x46]];
/** Deflate's maximum expansion per compressed byte (a 258-byte match in 2 bits). */
const MAX_DEFLATE_RATIO = 1032;

/** A few bytes that are the start of a JPEG/PNG/WebP signature: a cut-off upload, not a foreign format. */
function isSignaturePrefix(b: Uint8Array): boolean {
  if (b.length >= 4 && b.length < 12 && b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46) {
    // "RIFF" then size, then a prefix of "WEBP".
    return [0x57, 0x45, 0x42, 0x50].every((v, i) => 8 + i >= b.length || b[8 + i] === v);
  }
  return b.length < 12 && SIGNATURES.some((sig) => sig.every((v, i) => i >= b.length || b[i] === v));
}

function truncated(format: string, why: string, details: Record<string, unknown> = {}): ImageInputError {
  return new ImageInputError('IMAGE_DECODE_FAILED', `The ${format} data is truncated or corrupt (${why}).`, { details: { format, reason: why, ...details } });
}

/**
 * Sniffs `bytes` and throws the typed error any decoder would end with, before decoding: see the module comment.
 * Returns the format, the declared size and the JPEG EXIF orientation. A `maxPixels` that is not a positive integer is
 * `INVALID_ARGUMENT`.
 *
 * @example
 * ```ts
 * const info = checkImageHeader(body, { maxPixels: 48_000_000 }); // throws ImageInputError with a stable code
 * console.log(info.format, info.width, info.height);
 * ```
 */
export function checkImageHeader(bytes: Uint8Array, options: { maxPixels?: number } = {}): CheckedImageInfo {
  const maxPixels = sizeLimit('maxPixels', options.maxPixels, DEFAULT_MAX_PIXELS);
  if (bytes.length === 0) throw new ImageInputError('EMPTY_INPUT', 'The image is empty (0 bytes).');
  const info = sniffImage(bytes);
  if (!info.supported && isSignaturePrefix(bytes)) {
    throw new ImageInputError('IMAGE_DECODE_FAILED', `The image is truncated (${bytes.length} bytes).`, { details: { bytes: bytes.length, reason: 'truncated' } });
  }
  if (!info.supported) {
    throw new ImageInputError('UNSUPPORTED_IMAGE_FORMAT', `Unsupported image format: ${info.format}. Send JPEG, PNG or WebP.`, {
      details: { format: info.format },
    });
  }
  const { width, height, format } = info;
  if (!width || !height) throw truncated(format, 'no readable size in the header');
  if (width * height > maxPixels) {
    throw new ImageInputError('IMAGE_TOO_LARGE', `The image is ${width}x${height}, more than ${maxPixels} pixels.`, {
      details: { format, width, height, maxPixels },
    });
  }
  if (format === 'png' && bytes.length * MAX_DEFLATE_RATIO < width * height) {
    // Even a 1-bit greyscale image needs width*height/8 inflated bytes; this bound is far looser and still catches headers alone.
    throw truncated(format, 'too little data for the declared size', { bytes: bytes.length, width, height });
  }
  if (format === 'jpeg') checkJpegData(bytes, width, height);
  if (format === 'webp') {
    const riff = ((bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) | (bytes[7] << 24)) >>> 0) + 8;
    if (riff > bytes.length) throw truncated(format, 'shorter than its RIFF size', { bytes: bytes.length, riffBytes: riff });
  }
  return info as CheckedImageInfo;
}

/**
 * True when an EOI marker (FF D9) follows `from`. Entropy-coded data never contains FF D9 (FF is stuffed as FF 00),
 * so any FF D9 after the first scan header is the end of the image, even when other data trails it.
 */
function hasEoiAfter(b: Uint8Array, from: number): boolean {
  for (let i = b.lastIndexOf(0xd9); i > from; i = b.lastIndexOf(0xd9, i - 1)) if (b[i - 1] === 0xff) return true;
  return false;
}

/**
 * Huffman-coded JPEG scans spend at least one bit per 8x8 block of every component they carry, and a decodable file
 * has at least one scan, so the entropy data after the first SOS must hold `min over components of blocks / 8` bytes.
 * A 2.7 KB header declaring 6000x6000 fails here instead of allocating hundreds of MB. Arithmetic-coded frames
 * (SOF9..15) can go below a bit per block and are left to the decoder. A file without an EOI after its first scan
 * is a cut-off upload (libjpeg would fill the rest with grey): refused too.
 */
function checkJpegData(b: Uint8Array, width: number, height: number): void {
  let o = 2;
  let comps: Array<[number, number]> | undefined;
  let huffman = false;
  while (o + 4 <= b.length) {
    if (b[o] !== 0xff) return; // the decoder reports lost sync with a better message
    const m = b[o + 1];
    if (m === 0xff) {
      o++;
      continue;
    }
    if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
      o += 2;
      continue;
    }
    const len = (b[o + 2] << 8) | b[o + 3];
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc && !comps) {
      huffman = m <= 0xc7;
      const n = b[o + 9];
      comps = [];
      for (let i = 0; i < n && o + 12 + i * 3 < b.length; i++) {
        const hv = b[o + 11 + i * 3];
        comps.push([hv >> 4, hv & 15]);
      }
    }
    if (m === 0xda) {
      if (!hasEoiAfter(b, o + 2 + len)) throw truncated('jpeg', 'no end-of-image marker after the scan data');
      if (!comps || comps.length === 0 || !huffman) return;
      const hmax = Math.max(...comps.map((c) => c[0]));
      const vmax = Math.max(...comps.map((c) => c[1]));
      if (!(hmax > 0 && vmax > 0)) return;
      let minBlocks = Infinity;
      for (const [h, v] of comps) {
        const blocks = Math.ceil(Math.ceil((width * h) / hmax) / 8) * Math.ceil(Math.ceil((height * v) / vmax) / 8);
        minBlocks = Math.min(minBlocks, blocks);
      }
      const have = b.length - (o + 2 + len);
      if (have * 8 < minBlocks) throw truncated('jpeg', 'too little entropy-coded data for the declared size', { bytes: b.length, width, height });
      return;
    }
    o += 2 + len;
  }
  throw truncated('jpeg', 'no scan data');
}
