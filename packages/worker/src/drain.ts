/**
 * Reading and dropping the unread rest of a request body before the response is returned.
 *
 * Why: workerd refuses reads of the request body once the response is sent ("Can't read from request stream
 * after response has been sent"), and when a response goes out with more than 64 KiB of the body unread, its
 * HTTP server closes the connection after the response without saying so (a Worker cannot set `Connection:
 * close`; workerd drops it). A client, or wrangler dev's proxy, that reuses that keep-alive connection then
 * fails: ECONNRESET, or the proxy's `503 text/plain "Your worker restarted mid-request"` for the next POST.
 * So every rejected body is drained here, in the request, up to {@link DRAIN_LIMIT_BYTES}.
 */

/**
 * Bytes of one request body the Worker reads in all (accepted part plus drained rest). 100 MB is what
 * Cloudflare's edge itself accepts on the Free and Pro plans, so in production every body that reaches the
 * Worker is drained; past it the Worker stops reading and the platform closes the connection after the response.
 */
export const DRAIN_LIMIT_BYTES = 100 * 1024 * 1024;

/** How a drain ended. */
export type DrainOutcome = 'drained' | 'abandoned';

/**
 * Reads `reader` to its end without keeping the bytes, stopping (and releasing the lock, never cancelling: a
 * cancelled upload makes wrangler dev's proxy answer 503 for the current request) once `alreadyRead` plus the
 * drained bytes pass `limit`. Never throws: a client that disconnects mid-drain counts as drained.
 *
 * @example
 * ```ts
 * if (total > cap) {
 *   await drainReader({ reader, alreadyRead: total });
 *   throw tooLarge();
 * }
 * ```
 */
export async function drainReader(options: {
  reader: ReadableStreamDefaultReader<Uint8Array>;
  alreadyRead?: number;
  limit?: number;
}): Promise<DrainOutcome> {
  const { reader } = options;
  const limit = options.limit ?? DRAIN_LIMIT_BYTES;
  let n = options.alreadyRead ?? 0;
  try {
    for (;;) {
      if (n > limit) {
        reader.releaseLock();
        return 'abandoned';
      }
      const { done, value } = await reader.read();
      if (done) return 'drained';
      n += value.byteLength;
    }
  } catch {
    return 'drained'; // the client went away: nothing left to keep in sync
  }
}

/**
 * Drains a request body the handler never touched (401, 404, 405, a Content-Length over the cap, ...), unless
 * its declared length is over `limit` (then the platform closes the connection; reading it would be wasted).
 *
 * @example
 * ```ts
 * const res = await handle(request);
 * await drainUnread({ request });
 * return res;
 * ```
 */
export async function drainUnread(options: { request: Request; limit?: number }): Promise<DrainOutcome> {
  const { request } = options;
  if (!request.body || request.bodyUsed || request.body.locked) return 'drained';
  const limit = options.limit ?? DRAIN_LIMIT_BYTES;
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) return 'abandoned';
  return drainReader({ reader: request.body.getReader(), limit });
}
