// The runner itself: every way a case can break the contract is caught and attributed to that case, and the cases
// after it still run (in a fresh child). Limits leave room for a loaded machine: touching 256 MB took ~1 s there.
import { expect, it } from 'vitest';
import { runCases } from './runner.js';
import { summarize } from './summary.js';

it('records crashes, hangs and memory blow-ups per case and goes on with the rest', async () => {
  const ids = ['image/ok/0', 'image/crash/1', 'image/typed/2', 'image/hang/3', 'image/untyped/4', 'image/memory/5', 'image/ok/6'];
  const results = await runCases({ ids, seed: 1, workers: 1, caseTimeoutMs: 5000, rssLimitMB: 256, heapMB: 128, child: 'test/fuzz/misbehaving-child.ts' });
  const byId = Object.fromEntries(results.map((r) => [r.id, r.outcome]));
  expect(byId).toEqual({
    'image/ok/0': 'ok', 'image/crash/1': 'crash', 'image/typed/2': 'typed', 'image/hang/3': 'hang',
    'image/untyped/4': 'untyped', 'image/memory/5': 'memory', 'image/ok/6': 'ok',
  });
  const s = summarize({ results, seed: 1, cases: ids.length, seconds: 0 });
  expect(s.failures.map((f) => f.id)).toEqual(['image/crash/1', 'image/hang/3', 'image/untyped/4', 'image/memory/5']);
  expect(s.families.image).toMatchObject({ runs: 7, ok: 2, errors: { IMAGE_DECODE_FAILED: 1 } });
}, 120_000);
