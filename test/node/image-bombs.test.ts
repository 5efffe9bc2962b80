// Named regression tests for the hostile images of the hardening issue (#14): each case runs in its own Node process
// (JS heap capped at 192 MB) through decodeImage, classify() in both decode modes and the CLI, and must get its
// typed error from all of them with the process's peak RSS under 200 MB, model and runtime included.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { imageBombs } from '../../packages/core/src/testing/image-bombs.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);

describe('hostile images: typed errors, bounded memory (one child process per case)', () => {
  for (const bomb of imageBombs()) {
    it(`${bomb.name} (${bomb.note}) -> ${bomb.code}`, async () => {
      const { stdout } = await run(process.execPath, ['--max-old-space-size=192', '--import', 'tsx', 'test/node/image-bomb-child.ts', bomb.name], {
        cwd: ROOT,
        timeout: 120_000, // a hang guard, not a speed check: bombs finish in milliseconds
        maxBuffer: 1 << 20,
      });
      const r = JSON.parse(stdout.trim().split('\n').pop()!) as {
        maxRssMB: number;
        results: Record<string, { code: string; exit?: number }>;
      };
      expect(Object.fromEntries(Object.entries(r.results).map(([k, v]) => [k, v.code]))).toEqual({
        decodeImage: bomb.code,
        classifyFast: bomb.code,
        classifyExact: bomb.code,
        cli: bomb.code,
      });
      expect(r.results.cli.exit).toBe(1);
      expect(r.maxRssMB).toBeLessThan(200);
    }, 180_000);
  }
});
