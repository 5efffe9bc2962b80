/** Typed failures of the JPEG decoder (codes from ../../errors.ts). */
import { ImageInputError } from '../../errors.js';

/** Throws IMAGE_DECODE_FAILED: the data is corrupt or cut short. */
export function corrupt(message: string, details: Record<string, unknown> = {}): never {
  throw new ImageInputError('IMAGE_DECODE_FAILED', `Corrupt or truncated JPEG: ${message}.`, { details: { format: 'jpeg', ...details } });
}

/** Throws UNSUPPORTED_IMAGE_FORMAT for a valid JPEG variant this decoder does not implement. */
export function unsupported(message: string, reason: string): never {
  throw new ImageInputError('UNSUPPORTED_IMAGE_FORMAT', `Unsupported JPEG variant: ${message}.`, { details: { format: 'jpeg', reason } });
}
