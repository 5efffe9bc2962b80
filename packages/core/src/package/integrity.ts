/** sha256 integrity checks with WebCrypto (present in browsers, Node >= 19 and workerd). */
import { ModelLoadError, ResNetEdgeError } from '../errors.js';
import type { ManifestFile } from './manifest-types.js';

/**
 * Hex sha256 of `bytes`.
 *
 * @example
 * ```ts
 * const hex = await sha256Hex(new TextEncoder().encode('abc'));
 * ```
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  if (!ArrayBuffer.isView(bytes)) throw new ResNetEdgeError('INVALID_ARGUMENT', 'sha256Hex takes a Uint8Array.');
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Throws `INTEGRITY_MISMATCH` unless `bytes` has the size and sha256 the manifest declares.
 *
 * @example
 * ```ts
 * await verifyFile({ file: manifest.files[0], bytes });
 * ```
 */
export async function verifyFile(options: { file: ManifestFile; bytes: Uint8Array }): Promise<void> {
  const { file, bytes } = options ?? {};
  if (!file || typeof file.bytes !== 'number' || typeof file.sha256 !== 'string' || !(bytes instanceof Uint8Array)) {
    throw new ResNetEdgeError('INVALID_ARGUMENT', 'verifyFile takes { file: { path, bytes, sha256 }, bytes: Uint8Array }.');
  }
  if (bytes.byteLength !== file.bytes) {
    throw new ModelLoadError('INTEGRITY_MISMATCH', `"${file.path}" is ${bytes.byteLength} bytes; the manifest says ${file.bytes}.`, {
      details: { path: file.path, expectedBytes: file.bytes, actualBytes: bytes.byteLength },
    });
  }
  const actual = await sha256Hex(bytes);
  if (actual !== file.sha256) {
    throw new ModelLoadError('INTEGRITY_MISMATCH', `sha256 of "${file.path}" does not match the manifest.`, {
      details: { path: file.path, expected: file.sha256, actual },
    });
  }
}
