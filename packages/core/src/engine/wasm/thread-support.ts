/**
 * What code outside the thread pool needs to know about threads, without loading the pool (thread-pool.ts and the
 * shared-memory build are imported on demand, so single-threaded apps do not ship them).
 */

/** int32 words of calls a helper's mailbox takes for one op (run()). */
export const CALL_CAPACITY = 1 << 14;

/**
 * Whether this runtime can share wasm memory with helper threads.
 *
 * @example
 * ```ts
 * const threads = threadsSupported() ? 2 : 1;
 * ```
 */
export function threadsSupported(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown; process?: { versions?: { node?: string } } };
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return false;
  if (g.process?.versions?.node) return true;
  return g.crossOriginIsolated === true && typeof g.Worker === 'function';
}
