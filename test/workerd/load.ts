/**
 * Bounded load test against the real Worker in local workerd (`wrangler dev` on 127.0.0.1).
 * Sends N requests (default 2,000) at concurrency C (default 16) to POST /v1/classify with real
 * Fashion-MNIST PNGs, stops at a hard deadline, and writes bench-results/worker-load.json.
 *
 *   npm run load -w @resnet-edge/worker -- --requests 2000 --concurrency 16 [--backend ort-wasm] [--model tiny-fixture]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng, fmnistTestItems, grayToRgba, hasModel, TINY_ID, writeTinyPackage } from '../../packages/worker/src/testing/fixtures.js';
import { REPO_ROOT, stageAssets, startDevServer } from './dev-server.js';
import { connectIsolateHeap, type HeapUsage } from './isolate-heap.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

const REQUESTS = arg('requests', 2000);
const CONCURRENCY = arg('concurrency', 16);
const DEADLINE_S = arg('deadline', 300);
function strArg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
/** `--model tiny-fixture` load-tests the plumbing with core's small test graph when the trained model is absent. */
const MODEL = strArg('model', 'fmnist-resnet20');
/** `--backend ort-wasm|wasm|auto` (default: wrangler.toml's BACKEND). */
const BACKEND = strArg('backend', '');

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  if (MODEL !== TINY_ID && !hasModel({ id: MODEL })) throw new Error(`models/${MODEL}/model.json is missing: nothing to load-test`);
  const assetsDir = stageAssets({ models: MODEL === TINY_ID ? [] : [MODEL], extra: (root) => MODEL === TINY_ID && writeTinyPackage({ root }) });
  const bodies = fmnistTestItems({ count: 64 }).map((it) => encodePng({ rgba: grayToRgba({ pixels: it.pixels, width: 28, height: 28 }), width: 28, height: 28 }));
  const inspectorPort = 9400 + Math.floor(Math.random() * 500);
  const server = await startDevServer({ assetsDir, inspectorPort, vars: { MODELS: MODEL, DEFAULT_CLASSIFY_MODEL: MODEL, ...(BACKEND ? { BACKEND } : {}) } });
  const heap = await connectIsolateHeap({ port: inspectorPort }).catch(() => undefined);
  const heapSamples: HeapUsage[] = [];
  const sampleHeap = () => heap?.sample().then((h) => void heapSamples.push(h)).catch(() => undefined);
  const stopAt = Date.now() + DEADLINE_S * 1000;
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, server.workerdRss() ?? 0)), 250);
  try {
    const rssIdle = server.workerdRss();
    // Warm-up: the first request loads the model into the isolate; measured separately.
    const w0 = performance.now();
    const warm = await fetch(`${server.url}/v1/classify`, { method: 'POST', body: bodies[0] });
    const coldMs = performance.now() - w0;
    if (!warm.ok) throw new Error(`warm-up failed: HTTP ${warm.status} ${await warm.text()}`);
    await warm.arrayBuffer();
    const rssWarm = server.workerdRss();

    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    let networkErrors = 0;
    /** First few non-200 answers, verbatim, so a 5xx can be told apart (app error vs. local dev proxy). */
    const errorSamples: { status: number; body: string }[] = [];
    // RSS after every 500 completed requests: growth that does not level off would mean a leak.
    const rssEvery500: (number | null)[] = [];
    let next = 0;
    let truncated = false;
    const t0 = performance.now();
    const workerLoop = async () => {
      for (;;) {
        if (Date.now() > stopAt) {
          truncated = true;
          return;
        }
        const i = next++;
        if (i >= REQUESTS) return;
        const s = performance.now();
        try {
          const res = await fetch(`${server.url}/v1/classify?topK=1`, { method: 'POST', body: bodies[i % bodies.length], signal: AbortSignal.timeout(30_000) });
          const text = await res.text();
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (res.status !== 200 && errorSamples.length < 5) errorSamples.push({ status: res.status, body: text.slice(0, 300) });
        } catch {
          networkErrors++;
        }
        latencies.push(performance.now() - s);
        if (latencies.length % 500 === 0) rssEvery500.push(server.workerdRss()), void sampleHeap();
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, workerLoop));
    await sampleHeap();
    const wallS = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    const fivexx = Object.entries(statuses).filter(([k]) => Number(k) >= 500).reduce((n, [, v]) => n + v, 0);
    const round = (x: number) => Math.round(x * 100) / 100;
    const result = {
      date: new Date().toISOString(),
      target: 'wrangler dev (local workerd) on 127.0.0.1, POST /v1/classify?topK=1, 28x28 Fashion-MNIST PNG bodies (64 distinct)',
      model: MODEL,
      backend: warm.headers.get('x-backend'),
      requests: latencies.length,
      requested: REQUESTS,
      concurrency: CONCURRENCY,
      truncatedByDeadline: truncated,
      wallSeconds: round(wallS),
      requestsPerSecond: round(latencies.length / wallS),
      coldFirstRequestMs: round(coldMs),
      latencyMs: {
        p50: round(percentile(latencies, 50)),
        p95: round(percentile(latencies, 95)),
        p99: round(percentile(latencies, 99)),
        max: round(latencies[latencies.length - 1] ?? NaN),
      },
      statusCounts: statuses,
      count5xx: fivexx,
      errorSamples,
      loadAverage: (await import('node:os')).loadavg().map((x) => Math.round(x * 10) / 10),
      networkErrors,
      workerdRssBytes: { idle: rssIdle, afterWarmup: rssWarm, peak: peakRss || null, end: server.workerdRss(), every500Requests: rssEvery500 },
      isolateHeapBytes: heapSamples.length
        ? { samples: heapSamples.length, peakUsed: Math.max(...heapSamples.map((h) => h.usedBytes)), peakTotal: Math.max(...heapSamples.map((h) => h.totalBytes)), every500Requests: heapSamples.map((h) => h.usedBytes) }
        : null,
      memoryNote: 'workerdRssBytes: RSS of the local workerd process (all isolates + runtime + code). isolateHeapBytes: the Worker isolate V8 heap (Runtime.getHeapUsage over wrangler dev inspector), which the 128 MB isolate limit applies to; wasm linear memory is inside the isolate but outside the JS heap and is reported by the engine (see BENCHMARKS.md).',
      host: { cpus: (await import('node:os')).cpus().length, node: process.version },
    };
    const out = join(REPO_ROOT, 'bench-results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, MODEL === 'fmnist-resnet20' && !BACKEND ? 'worker-load.json' : `worker-load-${MODEL}${BACKEND ? `-${BACKEND}` : ''}.json`), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
    if (fivexx > 0 || networkErrors > 0) process.exitCode = 1;
  } finally {
    clearInterval(sampler);
    heap?.close();
    await server.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
