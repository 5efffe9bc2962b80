/**
 * Fetching a model file that comes without a manifest: sha256 when the source declares one (the caller's `sha256`,
 * an RFC 9530 `Repr-Digest`, RFC 3230 `Digest` or Hugging Face's `X-Linked-Etag` header), otherwise pinned on first
 * download (pin-store.ts); Cache Storage for the bytes, re-verified whenever they are read back.
 */
import { ModelLoadError, throwIfAborted } from '../errors.js';
import { fetchBytes } from './fetch-bytes.js';
import { sha256Hex } from './integrity.js';
import type { PinStore } from './pin-store.js';
import type { IntegrityCheck } from './source-types.js';

export type { IntegrityCheck } from './source-types.js';

/** A fetched, checked file. */
export interface VerifiedFile {
  url: string;
  bytes: Uint8Array;
  sha256: string;
  check: IntegrityCheck;
  /** Served from Cache Storage (after re-verification). */
  fromCache: boolean;
}

/** Options of {@link fetchVerified}. */
export interface FetchVerifiedOptions {
  url: URL;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  onProgress?: (loaded: number, total: number) => void;
  /** sha256 the caller expects (lowercase hex). */
  sha256?: string;
  pins?: PinStore;
  cache?: Cache;
  /** Return `undefined` for a missing file (HTTP 404, no such local file) instead of throwing. */
  optional?: boolean;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** base64 -> lowercase hex, or undefined when it is not 32 bytes. */
function base64Hex(b64: string): string | undefined {
  try {
    const bin = atob(b64.trim());
    if (bin.length !== 32) return undefined;
    return Array.from(bin, (ch) => ch.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  } catch {
    return undefined;
  }
}

/**
 * The sha256 a response declares for its content, if any: `Repr-Digest: sha-256=:<b64>:` (RFC 9530), `Digest:
 * SHA-256=<b64>` (RFC 3230) or `X-Linked-Etag: "<hex>"` (Hugging Face, the LFS object's sha256).
 *
 * @example
 * ```ts
 * declaredSha256(new Headers({ 'x-linked-etag': `"${'a'.repeat(64)}"` })); // 'aaaa...'
 * ```
 */
export function declaredSha256(headers: Headers): string | undefined {
  const repr = /sha-256=:([A-Za-z0-9+/=]+):/i.exec(headers.get('repr-digest') ?? '');
  if (repr) return base64Hex(repr[1]);
  const digest = /(?:^|,)\s*sha-256=([A-Za-z0-9+/=]+)/i.exec(headers.get('digest') ?? '');
  if (digest) return base64Hex(digest[1]);
  const linked = (headers.get('x-linked-etag') ?? '').replace(/^W\//, '').replace(/"/g, '').trim().toLowerCase();
  return HEX64.test(linked) ? linked : undefined;
}

/**
 * Fetches `url` and checks it (see {@link IntegrityCheck}); a mismatch is `INTEGRITY_MISMATCH`.
 *
 * @example
 * ```ts
 * const file = await fetchVerified({ url: new URL('https://example.com/resnet.onnx'), pins: defaultPinStore() });
 * console.log(file.check); // 'first-download', then 'pinned' on the next load
 * ```
 */
export async function fetchVerified(o: FetchVerifiedOptions): Promise<VerifiedFile | undefined> {
  const href = o.url.href;
  const expected = o.sha256?.toLowerCase();
  if (expected !== undefined && !HEX64.test(expected)) {
    throw new ModelLoadError('INVALID_ARGUMENT', `sha256 must be 64 hex digits (got "${o.sha256}").`);
  }
  const pin = await o.pins?.get(href);
  const want = expected ?? pin;
  if (o.cache && want) {
    const hit = await o.cache.match(href).catch(() => undefined);
    if (hit) {
      const bytes = new Uint8Array(await hit.arrayBuffer());
      if ((await sha256Hex(bytes)) === want) {
        o.onProgress?.(bytes.byteLength, bytes.byteLength);
        return { url: href, bytes, sha256: want, check: expected ? 'declared' : 'pinned', fromCache: true };
      }
      await o.cache.delete(href).catch(() => false);
    }
  }
  throwIfAborted(o.signal);
  let headers: Headers | undefined;
  const base = o.fetch ?? (o.url.protocol === 'file:' ? undefined : globalThis.fetch);
  const spy: typeof fetch | undefined = base
    ? async (input, init) => {
        const res = await base(input, init);
        headers = res.headers;
        return res;
      }
    : undefined;
  let bytes: Uint8Array;
  try {
    bytes = await fetchBytes({ url: o.url, fetch: spy, signal: o.signal, onProgress: o.onProgress });
  } catch (e) {
    // fetchBytes reports HTTP 404 and a missing local file as UNKNOWN_MODEL.
    if (o.optional && (e as ModelLoadError).code === 'UNKNOWN_MODEL') return undefined;
    throw e;
  }
  const sha256 = await sha256Hex(bytes);
  const declared = expected ?? (headers ? declaredSha256(headers) : undefined);
  if (declared !== undefined && sha256 !== declared) {
    throw new ModelLoadError('INTEGRITY_MISMATCH', `sha256 of ${href} does not match the sha256 ${expected ? 'passed to load()' : 'the server declares'}.`, {
      details: { url: href, expected: declared, actual: sha256 },
    });
  }
  if (declared === undefined && pin !== undefined && sha256 !== pin) {
    throw new ModelLoadError(
      'INTEGRITY_MISMATCH',
      `${href} changed since it was first downloaded (pinned sha256 ${pin.slice(0, 12)}..., now ${sha256.slice(0, 12)}...). ` +
        'If the new file is expected, pass its sha256 to load() or delete the pin (load({ pins }) / defaultPinStore().delete(url)).',
      { details: { url: href, expected: pin, actual: sha256, pinned: true } },
    );
  }
  if (pin !== sha256) await o.pins?.set(href, sha256);
  if (o.cache) await o.cache.put(href, new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-length': String(bytes.byteLength) } })).catch(() => undefined);
  const check = declared !== undefined ? 'declared' : pin !== undefined ? 'pinned' : o.pins ? 'first-download' : 'unverified';
  return { url: href, bytes, sha256, check, fromCache: false };
}
