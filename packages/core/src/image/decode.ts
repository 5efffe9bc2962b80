/**
 * Encoded bytes -> RGBA. Order of checks: empty, format (magic bytes), header size vs `maxPixels`, then decode.
 * The size check happens before any decoder runs, so a header claiming 30000x30000 costs nothing.
 */
import jpeg from 'jpeg-js';
import { decode as decodePng } from 'fast-png';
import { ImageInputError } from '../errors.js';
import { DEFAULT_MAX_PIXELS } from './limits.js';
import { applyOrientation } from './orient.js';
import { decodeWithPlatform, hasPlatformDecoder } from './platform.js';
import { pngToRgba } from './png-to-rgba.js';
import { sniffImage } from './sniff.js';
import type { ImageDecodeFn, ImageFormat, ImageInfo, RgbaImage } from './types.js';
import { decodeWebp } from './webp.js';

export { DEFAULT_MAX_PIXELS };

export interface DecodeImageOptions {
  /** Reject images whose header claims more pixels than this (`IMAGE_TOO_LARGE`). Default 40 000 000. */
  maxPixels?: number;
  /** Use createImageBitmap in browsers (default true). Node and Workers always use the JS/wasm decoders. */
  preferPlatformDecoder?: boolean;
  /** Rotate/flip JPEGs by their EXIF orientation, as browsers do (default true). */
  applyExifOrientation?: boolean;
}

const custom = new Map<ImageFormat, ImageDecodeFn>();

/**
 * Replaces the decoder for one format (e.g. a Worker with its own WebP codec). Pass `undefined` to restore the
 * built-in one. Registered decoders win over the browser decoder; the empty/format/size checks still run first.
 *
 * @example
 * ```ts
 * registerImageDecoder('webp', async (bytes) => myWebpDecode(bytes)); // must return straight RGBA
 * ```
 */
export function registerImageDecoder(format: 'jpeg' | 'png' | 'webp', decoder: ImageDecodeFn | undefined): void {
  if (decoder) custom.set(format, decoder);
  else custom.delete(format);
}

function decodeJpeg(bytes: Uint8Array, info: ImageInfo, maxPixels: number): RgbaImage {
  const pixels = (info.width ?? 0) * (info.height ?? 0);
  // jpeg-js enforces both limits itself too; memory allows the RGBA output plus component planes and tables.
  const out = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: true,
    maxResolutionInMP: maxPixels / 1e6,
    maxMemoryUsageInMB: Math.ceil((pixels * 16) / 2 ** 20) + 32,
  });
  return { width: out.width, height: out.height, data: out.data };
}

/** Returns the pixels and whether EXIF orientation was already applied (the browser decoder does it). */
async function runDecoder(bytes: Uint8Array, info: ImageInfo, opts: Required<DecodeImageOptions>): Promise<[RgbaImage, boolean]> {
  const own = custom.get(info.format);
  if (own) return [await own(bytes, info), false];
  if (opts.preferPlatformDecoder && hasPlatformDecoder()) {
    try {
      return [await decodeWithPlatform(bytes, info, opts.applyExifOrientation), true];
    } catch {
      // Fall through: the JS decoders give the same verdict on corrupt data, with a clearer cause.
    }
  }
  if (info.format === 'jpeg') return [decodeJpeg(bytes, info, opts.maxPixels), false];
  if (info.format === 'png') return [pngToRgba(decodePng(bytes, { checkCrc: true })), false];
  return [await decodeWebp(bytes, info), false];
}

const SIGNATURES = [[0xff, 0xd8, 0xff], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0x52, 0x49, 0x46, 0x46]];

/** A few bytes that are the start of a JPEG/PNG/WebP signature: a cut-off upload, not a foreign format. */
function isSignaturePrefix(b: Uint8Array): boolean {
  return b.length < 12 && SIGNATURES.some((sig) => sig.every((v, i) => i >= b.length || b[i] === v));
}

/**
 * Decodes JPEG, PNG or WebP bytes to 8-bit straight RGBA, after checking the header size against `maxPixels`.
 * Grey, palette, 16-bit and alpha PNGs and grey/CMYK JPEGs all come out as RGBA.
 *
 * Errors (all `ImageInputError`): `EMPTY_INPUT`, `UNSUPPORTED_IMAGE_FORMAT` (details.format names what it is),
 * `IMAGE_TOO_LARGE` (details.width/height/maxPixels), `IMAGE_DECODE_FAILED` (truncated or corrupt data).
 *
 * @example
 * ```ts
 * const img = await decodeImage(new Uint8Array(await req.arrayBuffer()), { maxPixels: 12_000_000 });
 * console.log(img.width, img.height, img.data.length); // data.length === width * height * 4
 * ```
 */
export async function decodeImage(input: Uint8Array | ArrayBuffer, options: DecodeImageOptions = {}): Promise<RgbaImage> {
  const opts: Required<DecodeImageOptions> = {
    maxPixels: options.maxPixels ?? DEFAULT_MAX_PIXELS,
    preferPlatformDecoder: options.preferPlatformDecoder ?? true,
    applyExifOrientation: options.applyExifOrientation ?? true,
  };
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length === 0) throw new ImageInputError('EMPTY_INPUT', 'The image is empty (0 bytes).');
  const info = sniffImage(bytes);
  if (!info.supported && isSignaturePrefix(bytes)) {
    throw new ImageInputError('IMAGE_DECODE_FAILED', `The image is truncated (${bytes.length} bytes).`, { details: { bytes: bytes.length } });
  }
  if (!info.supported) {
    throw new ImageInputError('UNSUPPORTED_IMAGE_FORMAT', `Unsupported image format: ${info.format}. Send JPEG, PNG or WebP.`, {
      details: { format: info.format },
    });
  }
  const { width, height } = info;
  if (!width || !height) {
    throw new ImageInputError('IMAGE_DECODE_FAILED', `The ${info.format} header is truncated or corrupt.`, { details: { format: info.format } });
  }
  if (width * height > opts.maxPixels) {
    throw new ImageInputError('IMAGE_TOO_LARGE', `The image is ${width}x${height}, more than ${opts.maxPixels} pixels.`, {
      details: { format: info.format, width, height, maxPixels: opts.maxPixels },
    });
  }
  let img: RgbaImage;
  let oriented: boolean;
  try {
    [img, oriented] = await runDecoder(bytes, info, opts);
  } catch (cause) {
    if (cause instanceof ImageInputError) throw cause;
    throw new ImageInputError('IMAGE_DECODE_FAILED', `The ${info.format} data is corrupt or truncated.`, { cause, details: { format: info.format } });
  }
  const n = img.width * img.height;
  if (!(n > 0) || n > opts.maxPixels || img.data.length !== n * 4) {
    throw new ImageInputError('IMAGE_DECODE_FAILED', `The ${info.format} decoder returned an inconsistent image.`, { details: { format: info.format } });
  }
  return opts.applyExifOrientation && !oriented ? applyOrientation(img, info.orientation) : img;
}
