/**
 * The fuzz tier from the command line (the test in fuzz.test.ts runs the same): prints the summary and the failures.
 *
 *   npx tsx test/fuzz/run.ts [--seed 14] [--only image/mutate/3,model/attribute/7] [--workers 2]
 */
import { corpusIds, DEFAULT_SEED } from './corpus.js';
import { runCases } from './runner.js';
import { summarize } from './summary.js';

const arg = (k: string) => {
  const i = process.argv.indexOf(`--${k}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const seed = Number(arg('seed') ?? process.env.FUZZ_SEED ?? DEFAULT_SEED);
const ids = arg('only')?.split(',') ?? corpusIds();
const t0 = performance.now();
const results = await runCases({ ids, seed, workers: Number(arg('workers') ?? 2), caseTimeoutMs: 60_000, rssLimitMB: 640, heapMB: 256 });
const summary = summarize({ results, seed, cases: ids.length, seconds: Math.round((performance.now() - t0) / 1000) });
console.log(JSON.stringify({ ...summary, failures: summary.failures.length }, null, 2));
for (const f of summary.failures) console.log(JSON.stringify(f));
if (arg("only") || process.argv.includes("--verbose")) for (const r of results) console.log(JSON.stringify(r));
