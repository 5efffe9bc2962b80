/** Structural checks for caller-supplied RGBA images (cheap: no pixel scan). */
import { ImageInputError } from '../errors.js';
import { DEFAULT_MAX_PIXELS, sizeLimit } from './limits.js';
import type { RgbaImage } from './types.js';

/**
 * Throws `INVALID_ARGUMENT` unless `img` is a usable RgbaImage: positive integer width/height, a Uint8Array or
 * Uint8ClampedArray of exactly width*height*4 bytes, and a positive integer `maxPixels` (or Infinity: no limit).
 * Throws `IMAGE_TOO_LARGE` above `maxPixels`.
 *
 * @example
 * ```ts
 * assertRgbaImage({ width: 2, height: 1, data: new Uint8Array(8) }); // ok
 * ```
 */
export function assertRgbaImage(img: unknown, maxPixels: number = DEFAULT_MAX_PIXELS): asserts img is RgbaImage {
  if (maxPixels !== Number.POSITIVE_INFINITY) sizeLimit('maxPixels', maxPixels, DEFAULT_MAX_PIXELS);
  const i = img as Partial<RgbaImage> | null;
  if (!i || typeof i !== 'object') throw new ImageInputError('INVALID_ARGUMENT', 'Expected an RgbaImage { width, height, data }.');
  const { width, height, data } = i;
  if (!Number.isInteger(width) || !Number.isInteger(height) || (width as number) <= 0 || (height as number) <= 0) {
    throw new ImageInputError('INVALID_ARGUMENT', `RgbaImage width and height must be positive integers (got ${width}x${height}).`, {
      details: { width, height },
    });
  }
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) {
    throw new ImageInputError('INVALID_ARGUMENT', 'RgbaImage data must be a Uint8Array or Uint8ClampedArray.');
  }
  const w = width as number;
  const h = height as number;
  if (w * h > maxPixels) {
    throw new ImageInputError('IMAGE_TOO_LARGE', `The image is ${w}x${h}, more than ${maxPixels} pixels.`, { details: { width: w, height: h, maxPixels } });
  }
  if (data.length !== w * h * 4) {
    throw new ImageInputError('INVALID_ARGUMENT', `RgbaImage data has ${data.length} bytes; ${w}x${h} RGBA needs ${w * h * 4}.`, {
      details: { width: w, height: h, length: data.length },
    });
  }
}
