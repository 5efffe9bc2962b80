/** A seeded PRNG (mulberry32) for the fuzz generators: one seed, one corpus, on every machine. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
}

/**
 * A generator for `seed` (any 32-bit integer; derive per-case seeds with {@link caseSeed}).
 *
 * @example
 * ```ts
 * const r = rng(caseSeed(1, 'png-truncate', 7));
 * const at = r.int(0, bytes.length - 1);
 * ```
 */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
  };
}

/** A per-case seed from the corpus seed, the generator's name and the case index (FNV-1a). */
export function caseSeed(seed: number, kind: string, index: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (const ch of `${kind}#${index}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return h >>> 0;
}
