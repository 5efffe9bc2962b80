/** Optional bearer-token auth against a Worker secret, compared in constant time. */
import { HttpError } from './http-error.js';

const encoder = new TextEncoder();

/**
 * Compares two strings without an early exit, so response time does not reveal how many leading
 * characters matched. Both sides are hashed first: equal-length digests make the loop length
 * independent of the secret's length too.
 *
 * @example
 * ```ts
 * await timingSafeEqual({ a: provided, b: env.API_TOKEN }); // true | false
 * ```
 */
export async function timingSafeEqual(options: { a: string; b: string }): Promise<boolean> {
  const [da, db] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(options.a)),
    crypto.subtle.digest('SHA-256', encoder.encode(options.b)),
  ]);
  const x = new Uint8Array(da);
  const y = new Uint8Array(db);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}

const malformed = 'Malformed Authorization header: expected "Bearer <token>" (one token, no spaces inside).';

/**
 * Throws 401 unless `Authorization: Bearer <token>` matches `token`. No-op when `token` is empty/unset
 * (auth disabled, e.g. local dev).
 *
 * @example
 * ```ts
 * await requireBearer({ request, token: env.API_TOKEN });
 * ```
 */
export async function requireBearer(options: { request: Request; token: string | undefined }): Promise<void> {
  const { token } = options;
  if (!token) return;
  const header = options.request.headers.get('authorization') ?? '';
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  // Always run the comparison so a missing header and a wrong token cost the same time.
  const ok = await timingSafeEqual({ a: m?.[1] ?? '', b: token });
  if (!m || !ok) {
    throw new HttpError({
      status: 401,
      code: 'UNAUTHORIZED',
      message: m ? 'Invalid bearer token.' : header.trim() ? malformed : 'Missing bearer token (Authorization: Bearer <token>).',
      headers: { 'www-authenticate': 'Bearer realm="resnet-edge"' },
    });
  }
}
