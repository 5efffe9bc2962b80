/** Size limits on image input, their defaults, and the one check every entry point applies to them. */
import { ResNetEdgeError } from '../errors.js';

/** Default pixel budget: 48 MP covers the largest phone photos (decoding to size keeps memory bounded by the model input, not this). */
export const DEFAULT_MAX_PIXELS = 48_000_000;

/** Default largest Blob read into memory (64 MiB). */
export const DEFAULT_MAX_BYTES = 64 * 2 ** 20;

/**
 * Returns `value`, or `fallback` when it is undefined. Anything but a positive integer is `INVALID_ARGUMENT`: NaN or a
 * string compares false against every size and would silently lift the limit; 0 or -1 would call every image too large.
 *
 * @example
 * ```ts
 * const maxPixels = sizeLimit('maxPixels', options.maxPixels, DEFAULT_MAX_PIXELS); // NaN -> INVALID_ARGUMENT
 * ```
 */
export function sizeLimit(name: 'maxPixels' | 'maxBytes', value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
    throw new ResNetEdgeError('INVALID_ARGUMENT', `${name} must be a positive integer, got ${shown}.`, { details: { option: name } });
  }
  return value;
}
