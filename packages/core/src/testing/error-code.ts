/** Test helper: the `code` of the error a promise rejects with, so a case reads as one `expect(...).toBe(CODE)`. */
import { expect } from 'vitest';
import { ResNetEdgeError } from '../errors.js';

/**
 * Awaits `p` and returns the rejection's `code` after checking it is an instance of `type` (by default any
 * {@link ResNetEdgeError}); returns `'resolved'` when `p` resolves.
 *
 * @example
 * ```ts
 * expect(await errorCode(decodeImage(bytes), ImageInputError)).toBe('IMAGE_DECODE_FAILED');
 * ```
 */
export async function errorCode(p: Promise<unknown>, type: abstract new (...args: never[]) => ResNetEdgeError = ResNetEdgeError): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(type);
    return (e as ResNetEdgeError).code;
  }
  return 'resolved';
}
