/**
 * Encoded bytes -> full-size RGBA. Every check in ./header.ts (empty, format, truncation, size vs `maxPixels`, data
 * too small for the declared size) runs before any decoder, so a header claiming 30000x30000 costs nothing.
 * For model input prefer ./decode-to-size.ts, which decodes only at the resolution the model needs.
 */
import { ImageInputError } from '../errors.js';
import { checkImageHeader, type CheckedImageInfo } from './header.js';
import { loadJpegDecoder, loadPngDecoder } from './js-decoders.js';
import { DEFAULT_MAX_PIXELS, sizeLimit } from './limits.js';
import { applyOrientation } from './orient.js';
import { decodeWithPlatform, hasPlatformDecoder } from './platform.js';
import type { ImageDecodeFn, ImageFormat, RgbaImage } from './types.js';
import { decodeWebp } from './webp.js';

export { DEFAULT_MAX_PIXELS };

export interface DecodeImageOptions {
  /** Reject images whose header claims more pixels than this (`IMAGE_TOO_LARGE`). A positive integer; default 48 000 000. */
  maxPixels?: number;
  /** Use createImageBitmap in browsers (default true). Node and Workers always use the JS/wasm decoders. */
  preferPlatformDecoder?: boolean;
  /** Rotate/flip JPEGs by their EXIF orientation, as browsers do (default true). */
  applyExifOrientation?: boolean;
}

const custom = new Map<ImageFormat, ImageDecodeFn>();

/**
 * Replaces the decoder for one format (e.g. a Worker with its own WebP codec). Pass `undefined` to restore the
 * built-in one. Registered decoders win over the browser decoder and over decoding to size (they always decode
 * at full size); the header checks still run first.
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

/** The decoder registered for `format`, if any. */
export function customDecoder(format: ImageFormat): ImageDecodeFn | undefined {
  return custom.get(format);
}

/** Returns the pixels and whether EXIF orientation was already applied (the browser decoder does it). */
async function runDecoder(bytes: Uint8Array, info: CheckedImageInfo, opts: Required<DecodeImageOptions>): Promise<[RgbaImage, boolean]> {
  const own = custom.get(info.format);
  if (own) return [await own(bytes, info), false];
  if (opts.preferPlatformDecoder && hasPlatformDecoder()) {
    try {
      return [await decodeWithPlatform(bytes, info, { applyOrientation: opts.applyExifOrientation }), true];
    } catch {
      // Fall through: the JS decoders give the same verdict on corrupt data, with a clearer cause.
    }
  }
  if (info.format === 'jpeg') return [await (await loadJpegDecoder()).decodeJpegScaled(bytes, { scaleDenom: 1, maxPixels: opts.maxPixels }), false];
  if (info.format === 'png') return [await (await loadPngDecoder()).decodePng(bytes, { maxPixels: opts.maxPixels }), false];
  return [await decodeWebp(bytes, info), false];
}

/**
 * Runs a decoder, turning an untyped failure into `IMAGE_DECODE_FAILED` (typed errors pass through).
 *
 * @example
 * ```ts
 * await typedDecode('png', () => decodePngRows(bytes, { maxPixels, onRow }));
 * ```
 */
export async function typedDecode<T>(format: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (cause) {
    if (cause instanceof ImageInputError) throw cause;
    throw new ImageInputError('IMAGE_DECODE_FAILED', `The ${format} data is corrupt or truncated.`, { cause, details: { format } });
  }
}

/**
 * Runs a whole-image decoder through {@link typedDecode} and checks its output: a positive size within `maxPixels`
 * and exactly width * height * 4 bytes.
 *
 * @example
 * ```ts
 * const img = await guardDecode(info, maxPixels, () => decodeWebp(bytes, info));
 * ```
 */
export async function guardDecode(info: CheckedImageInfo, maxPixels: number, run: () => Promise<RgbaImage>): Promise<RgbaImage> {
  const img = await typedDecode(info.format, run);
  const n = img?.width * img?.height;
  if (!(n > 0) || n > maxPixels || img.data.length !== n * 4) {
    throw new ImageInputError('IMAGE_DECODE_FAILED', `The ${info.format} decoder returned an inconsistent image.`, { details: { format: info.format } });
  }
  return img;
}

/**
 * Decodes JPEG, PNG or WebP bytes to 8-bit straight RGBA at full size, after the header checks.
 * Grey, palette, 16-bit and alpha PNGs and grey/CMYK JPEGs all come out as RGBA.
 *
 * Errors (all `ImageInputError`): `EMPTY_INPUT`, `UNSUPPORTED_IMAGE_FORMAT` (details.format names what it is),
 * `IMAGE_TOO_LARGE` (details.width/height/maxPixels), `IMAGE_DECODE_FAILED` (truncated, corrupt, or a decompression
 * bomb: PNG inflation stops at the declared size). A `maxPixels` that is not a positive integer is `INVALID_ARGUMENT`.
 *
 * @example
 * ```ts
 * const img = await decodeImage(new Uint8Array(await req.arrayBuffer()), { maxPixels: 12_000_000 });
 * console.log(img.width, img.height, img.data.length); // data.length === width * height * 4
 * ```
 */
export async function decodeImage(input: Uint8Array | ArrayBuffer, options: DecodeImageOptions = {}): Promise<RgbaImage> {
  const opts: Required<DecodeImageOptions> = {
    maxPixels: sizeLimit('maxPixels', options.maxPixels, DEFAULT_MAX_PIXELS),
    preferPlatformDecoder: options.preferPlatformDecoder ?? true,
    applyExifOrientation: options.applyExifOrientation ?? true,
  };
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const info = checkImageHeader(bytes, { maxPixels: opts.maxPixels });
  let oriented = false;
  const img = await guardDecode(info, opts.maxPixels, async () => {
    const [pixels, done] = await runDecoder(bytes, info, opts);
    oriented = done;
    return pixels;
  });
  return opts.applyExifOrientation && !oriented ? applyOrientation(img, info.orientation) : img;
}
