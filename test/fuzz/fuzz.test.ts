// The fuzz tier (issue 14): every case of the seeded corpus (hostile images through classify(), damaged models through
// load() + a run, on the own engine and every sixth on onnxruntime-web too) ends in a valid result or a typed error
// of its family, never a crash, a hang (60 s per case) or a memory blow-up (384 MB resident per case, JS heap capped
// at 256 MB), each case in a child process. Outcome counts go to test-artifacts/fuzz-summary.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { corpusIds, DEFAULT_SEED } from './corpus.js';
import { runCases } from './runner.js';
import { summarize } from './summary.js';

const ROOT = new URL('../..', import.meta.url).pathname;

it('the seeded corpus: typed errors or valid results, no crash, hang or memory blow-up', async () => {
  const seed = Number(process.env.FUZZ_SEED ?? DEFAULT_SEED);
  const ids = corpusIds();
  const t0 = performance.now();
  const results = await runCases({ ids, seed, workers: 2, caseTimeoutMs: 60_000, rssLimitMB: 384, heapMB: 256 });
  const summary = summarize({ results, seed, cases: ids.length, seconds: Math.round((performance.now() - t0) / 1000) });
  mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
  writeFileSync(join(ROOT, 'test-artifacts/fuzz-summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`fuzz: ${summary.cases} cases, ${summary.runs} runs in ${summary.seconds} s: ${JSON.stringify(summary.families)}`);
  expect(summary.failures).toEqual([]);
  // Every case reported (a lost case would be a silent gap in the corpus).
  expect(new Set(results.map((r) => r.id)).size).toBe(ids.length);
});
