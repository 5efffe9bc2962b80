/** Outcome counts of a fuzz run, and the cases that broke the contract. */
import { ALLOWED } from './corpus.js';
import type { CaseResult } from './runner.js';

export interface FuzzSummary {
  seed: number;
  cases: number;
  runs: number;
  seconds: number;
  /** Per family: runs, valid results, typed errors by code, the highest peak RSS (MB) of a worker. */
  families: Record<string, { runs: number; ok: number; errors: Record<string, number>; peakRssMB: number }>;
  /** Runs that crashed, hung, blew up memory, threw an untyped error or a code outside ALLOWED, or returned nonsense. */
  failures: CaseResult[];
}

/**
 * Counts outcomes per family and lists the failures.
 *
 * @example
 * ```ts
 * const s = summarize({ results, seed: 14, cases: ids.length, seconds: 95 });
 * ```
 */
export function summarize(o: { results: CaseResult[]; seed: number; cases: number; seconds: number }): FuzzSummary {
  const families: FuzzSummary['families'] = {};
  const failures: CaseResult[] = [];
  for (const r of o.results) {
    const f = (families[r.family] ??= { runs: 0, ok: 0, errors: {}, peakRssMB: 0 });
    f.runs++;
    f.peakRssMB = Math.max(f.peakRssMB, r.maxRssMB ?? 0);
    if (r.outcome === 'ok') f.ok++;
    else if (r.outcome === 'typed' && ALLOWED[r.family].includes(r.code!)) f.errors[r.code!] = (f.errors[r.code!] ?? 0) + 1;
    else failures.push(r);
  }
  return { seed: o.seed, cases: o.cases, runs: o.results.length, seconds: o.seconds, families, failures };
}
