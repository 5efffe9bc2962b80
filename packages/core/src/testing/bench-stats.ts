/** Small statistics helpers for benchmarks: medians over noisy shared machines. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Fastest of repeated runs within a time budget (ms): the least disturbed timing on a shared machine.
 *
 * @example
 * ```ts
 * const ms = bestMs(() => kernel(), 400);
 * ```
 */
export function bestMs(run: () => void, budgetMs: number): number {
  let best = Infinity;
  const t0 = performance.now();
  while (performance.now() - t0 < budgetMs) {
    const a = performance.now();
    run();
    best = Math.min(best, performance.now() - a);
  }
  return best;
}

/**
 * Prints one micro-benchmark line: best time and GB/s of `bytes` read.
 *
 * @example
 * ```ts
 * reportBandwidth('add+relu 256x56x56', ms, 2 * n);
 * ```
 */
export function reportBandwidth(name: string, ms: number, bytes: number): void {
  console.log(`${name.padEnd(34)} ${ms.toFixed(3).padStart(8)} ms ${(bytes / (ms / 1000) / 1e9).toFixed(2).padStart(7)} GB/s`);
}
