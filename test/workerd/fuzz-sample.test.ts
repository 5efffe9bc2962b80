/**
 * The Worker part of the fuzz tier (hardening issue): a sample of the seeded image corpus (test/fuzz: every third
 * case of every kind: truncations, CRC-fixed mutations, bombs, huge headers, WebP damage, short prefixes), each POSTed
 * to real workerd as raw bytes, and every fifth also as Workers-AI JSON. Each answer is a valid classification or
 * our JSON error with a code of the image family, and after each one `GET /healthz` is answered at once: no case
 * takes the isolate down or leaves it busy. workerd's RSS growth over the run is bounded.
 * Run: npm run test:workerd -w @resnet-edge/worker
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED, buildImage, corpusIds, DEFAULT_SEED } from '../fuzz/corpus.js';
import { freshFetch, stageAssets, startDevServer, type DevServer } from './dev-server.js';

const TOKEN = 'fuzz-sample-token-3';
const auth = { authorization: `Bearer ${TOKEN}` };
const MODEL = 'fmnist-resnet20';
let server: DevServer;

beforeAll(async () => {
  const assetsDir = stageAssets({ models: [MODEL] });
  // The shipped limits (4 MiB bodies, 48 MP), as a deployment gets them.
  server = await startDevServer({ assetsDir, vars: { MODELS: MODEL, DEFAULT_CLASSIFY_MODEL: MODEL, API_TOKEN: TOKEN } });
});
afterAll(async () => {
  await server?.stop();
});

/** HTTP statuses our image errors map to. */
const STATUS: Record<string, number> = { IMAGE_DECODE_FAILED: 422, IMAGE_TOO_LARGE: 413, UNSUPPORTED_IMAGE_FORMAT: 415, EMPTY_INPUT: 400 };

async function expectImageOutcome(res: Response, id: string): Promise<string> {
  const text = await res.text();
  expect(text, id).not.toMatch(/\n\s+at |\.ts:\d+|\.js:\d+/);
  const body = JSON.parse(text) as { error?: { code: string } } | { label: string; score: number }[];
  if (res.status === 200) {
    expect(Array.isArray(body), id).toBe(true);
    for (const r of body as { label: string; score: number }[]) expect(r.score >= 0 && r.score <= 1, id).toBe(true);
    return 'ok';
  }
  const code = (body as { error: { code: string } }).error?.code;
  expect(ALLOWED.image, `${id}: ${res.status} ${text.slice(0, 200)}`).toContain(code);
  expect(res.status, `${id}: ${code}`).toBe(STATUS[code]);
  return code;
}

describe('fuzz sample against real workerd', () => {
  it('every sampled image case ends in a result or a typed image error, and the Worker answers the next request', async () => {
    const ids = corpusIds().filter((id) => id.startsWith('image/') && Number(id.split('/')[2]) % 3 === 0);
    expect(ids.length).toBeGreaterThan(80);
    const rss0 = server.workerdRss() ?? 0;
    const counts: Record<string, number> = {};
    for (const [i, id] of ids.entries()) {
      const bytes = buildImage(id, DEFAULT_SEED);
      const raw = await freshFetch(`${server.url}/v1/classify`, { method: 'POST', body: bytes, headers: auth });
      const outcome = await expectImageOutcome(raw, id);
      counts[outcome] = (counts[outcome] ?? 0) + 1;
      if (i % 5 === 0 && bytes.length < 1_000_000) {
        const json = await freshFetch(`${server.url}/v1/classify`, { method: 'POST', body: JSON.stringify({ image: Array.from(bytes) }), headers: { ...auth, 'content-type': 'application/json' } });
        // The same bytes give the same outcome whichever way they arrive.
        expect(await expectImageOutcome(json, `${id} (JSON)`), id).toBe(outcome);
      }
      const health = await freshFetch(`${server.url}/healthz`);
      expect(health.status, `healthz after ${id}`).toBe(200);
    }
    const growthMB = ((server.workerdRss() ?? rss0) - rss0) / 1024 / 1024;
    console.log(`[fuzz-sample] ${ids.length} cases in workerd: ${JSON.stringify(counts)}; workerd RSS growth ${growthMB.toFixed(0)} MB`);
    expect(counts.ok).toBeGreaterThan(0);
    expect(growthMB).toBeLessThan(512);
  }, 600_000);
});
