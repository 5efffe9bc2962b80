/** Deterministic test and benchmark data. */

/**
 * Pseudo-random int8 data in [lo, hi] (LCG: the same seed gives the same data everywhere).
 *
 * @example
 * ```ts
 * const x = randomInt8(1 * 16 * 8 * 8, 7);
 * ```
 */
export function randomInt8(n: number, seed: number, lo = -128, hi = 127): Int8Array {
  let s = seed >>> 0 || 1;
  const out = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + (s % (hi - lo + 1));
  }
  return out;
}
