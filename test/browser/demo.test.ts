/**
 * The demo in headless Chromium: both models run in Web Workers; results must match Node's, the main
 * thread must stay responsive during non-stop inference, and the second visit must load the models
 * from Cache Storage. Run: npx vitest run --config test/browser/vitest.config.ts
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { buildDemo, demoRoutes, MODELS_DIR, REPO_ROOT } from '../../examples/demo/build.js';
import { fashionItemPng, scenePng } from '../../examples/demo/samples.js';
import { chromiumAvailable, launchChromium, startStaticServer, startTrace, type LaunchedBrowser, type StaticServer } from './harness.js';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
const MODELS = ['fmnist-resnet20', 'fmnist-scenes-centernet'];
const haveModels = MODELS.every((m) => existsSync(join(MODELS_DIR, m, 'model.json')));
const haveChromium = await chromiumAvailable();
if (!haveChromium || !haveModels) console.warn(`demo browser test skipped: chromium=${haveChromium} models=${haveModels}`);

interface Row {
  label: string;
  score: number;
  box?: number[];
}

async function rows(page: Page, list: string): Promise<Row[]> {
  return page.$$eval(`[data-testid="${list}"] li`, (lis) =>
    lis.map((li) => {
      const e = li as HTMLElement;
      return { label: e.dataset.label!, score: Number(e.dataset.score), ...(e.dataset.box ? { box: e.dataset.box.split(',').map(Number) } : {}) };
    }),
  );
}

async function upload(page: Page, name: string, bytes: Uint8Array, mimeType = 'image/png') {
  await page.setInputFiles('[data-testid="file-input"]', { name, mimeType, buffer: Buffer.from(bytes) });
}

async function waitStatus(page: Page, testId: string, status: string) {
  await page.waitForSelector(`[data-testid="${testId}"][data-status="${status}"]`, { timeout: 120_000 });
}

describe.skipIf(!haveChromium || !haveModels)('demo in Chromium', () => {
  let server: StaticServer;
  let browser: LaunchedBrowser;
  let page: Page;
  const pageErrors: string[] = [];
  // Node's answers for the same bytes, via core's own load() (no worker involved).
  let node: { classify(png: Uint8Array): Promise<Row[]>; detect(png: Uint8Array): Promise<Row[]>; close(): Promise<void> };

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    await buildDemo();
    server = await startStaticServer({ routes: demoRoutes() });
    // A fake camera (Chromium's test pattern) for the webcam path; permission prompts auto-accepted.
    browser = await launchChromium({ args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
    page = browser.page;
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
    const { load } = await import('../../packages/core/src/index.js');
    const modelBaseUrl = pathToFileURL(MODELS_DIR + '/');
    const [clf, det] = await Promise.all([load({ model: MODELS[0]!, modelBaseUrl }), load({ model: MODELS[1]!, modelBaseUrl })]);
    node = {
      classify: async (png) => (await clf.classify(png, { topK: 5 })).map((c) => ({ label: c.label, score: c.score })),
      detect: async (png) =>
        (await det.detect(png)).map((d) => ({ label: d.label, score: d.score, box: [d.box.xmin, d.box.ymin, d.box.xmax, d.box.ymax] })),
      close: async () => void (await Promise.all([clf.dispose(), det.dispose()])),
    };
    await page.goto(server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await node?.close();
  });

  it('loads both models in workers with byte progress', async () => {
    await waitStatus(page, 'classifier', 'ready');
    await waitStatus(page, 'detector', 'ready');
    const backends = await page.$$eval('[data-testid="classifier"],[data-testid="detector"]', (els) => els.map((e) => (e as HTMLElement).dataset.backend));
    expect(backends.every((b) => b && b.length > 0)).toBe(true);
    console.log('browser backends:', backends.join(', '));
    // Byte progress reached the page (it is only set from the worker's onProgress callbacks).
    const totals = await page.$$eval('[data-testid="classifier"],[data-testid="detector"]', (els) =>
      els.map((e) => [Number((e as HTMLElement).dataset.loaded), Number((e as HTMLElement).dataset.total)]),
    );
    for (const [loaded, total] of totals) expect(loaded === total && total > 0).toBe(true);
    // One worker per model, shared by useResNet + useClassification/useDetection, even under StrictMode.
    expect(server.requests.filter((r) => r === '/worker.js')).toHaveLength(2);
    // Each ONNX file fetched once: the classifier's, the detector's and the detector's second stage (refine).
    const onnx = server.requests.filter((r) => r.endsWith('.onnx'));
    expect(onnx).toHaveLength(3);
    expect(new Set(onnx).size).toBe(3);
    expect(onnx.some((r) => r.endsWith('/refine.int8.onnx'))).toBe(true);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  });

  it('classifies an uploaded image like Node does', async () => {
    const { png, label } = fashionItemPng(0);
    await upload(page, 'item-0.png', png);
    await waitStatus(page, 'classification', 'success');
    const browserTop = await rows(page, 'top5');
    const nodeTop = await node.classify(png);
    expect(browserTop).toHaveLength(5);
    expect(browserTop.map((r) => r.label)).toEqual(nodeTop.map((r) => r.label));
    for (let i = 0; i < 5; i++) expect(Math.abs(browserTop[i]!.score - nodeTop[i]!.score)).toBeLessThan(0.02);
    console.log(`top-1 ${browserTop[0]!.label} (${browserTop[0]!.score.toFixed(3)}), truth ${label}`);
    const latency = Number(await page.getAttribute('[data-testid="classification-latency"]', 'data-latency'));
    expect(latency).toBeGreaterThan(0);
  });

  it('detects objects in a scene like Node does and draws the boxes', async () => {
    const { png, truth } = scenePng();
    await upload(page, 'scene.png', png);
    await waitStatus(page, 'detection', 'success');
    const browserDets = await rows(page, 'detections');
    const nodeDets = await node.detect(png);
    expect(browserDets.length).toBe(nodeDets.length);
    expect(browserDets.length).toBeGreaterThan(0);
    for (let i = 0; i < nodeDets.length; i++) {
      expect(browserDets[i]!.label).toBe(nodeDets[i]!.label);
      expect(Math.abs(browserDets[i]!.score - nodeDets[i]!.score)).toBeLessThan(0.02);
      browserDets[i]!.box!.forEach((v, k) => expect(Math.abs(v - nodeDets[i]!.box![k]!)).toBeLessThan(1.5));
    }
    expect(await page.locator('[data-testid="overlay"] rect').count()).toBe(2 * browserDets.length);
    console.log('detections', JSON.stringify(browserDets), 'truth', JSON.stringify(truth));
    await page.screenshot({ path: join(ARTIFACTS, 'demo-detection.png'), fullPage: true });
  });

  it('keeps the main thread responsive while inference runs in a loop', async () => {
    // Observer + rAF clock live in the page; a deliberate 120 ms busy loop first proves they see long tasks.
    type W = { __long: number[]; __frames: number[] };
    await page.evaluate(() => {
      const w = window as unknown as W;
      w.__long = [];
      w.__frames = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__long.push(e.duration))).observe({ type: 'longtask' });
      const tick = (t: number) => {
        w.__frames.push(t);
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.evaluate(() => new Promise<void>((done) => setTimeout(() => { const t = performance.now(); while (performance.now() - t < 120); done(); }, 0)));
    await page.waitForFunction(() => (window as unknown as W).__long.length > 0);
    await page.evaluate(() => ((window as unknown as W).__long = []));
    // Idle rAF rate first (loop off), for comparison on this shared machine.
    const idle0 = await page.evaluate(() => (window as unknown as W).__frames.length);
    await page.waitForTimeout(2000);
    const idleFps = ((await page.evaluate(() => (window as unknown as W).__frames.length)) - idle0) / 2;

    const trace = await startTrace({ browser, page });
    const from = await page.evaluate(() => performance.now());
    await page.check('[data-testid="loop-toggle"]');
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-testid="loop-stats"]')?.dataset.runs) >= 20, null, { timeout: 120_000 });
    await page.waitForTimeout(Math.max(0, 3000 - (await page.evaluate(() => performance.now())) + from));
    const { long, frames, runs, to } = await page.evaluate((f) => {
      const w = window as unknown as W;
      const to = performance.now();
      return { long: w.__long, frames: [f, ...w.__frames.filter((t) => t > f), to], runs: Number(document.querySelector<HTMLElement>('[data-testid="loop-stats"]')!.dataset.runs), to };
    }, from);
    await page.uncheck('[data-testid="loop-toggle"]');
    const tasks = await trace.stop();
    const windowUs = (to - from) * 1000;
    const fps = (frames.length - 2) / ((to - from) / 1000);
    const maxGap = Math.max(...frames.slice(1).map((t, i) => t - frames[i]!));
    const cpu = (t: { dur: number; tdur?: number }) => t.tdur ?? t.dur;
    const ms = (us: number) => Math.round(us / 100) / 10;
    const main = tasks.filter((t) => t.thread === 'CrRendererMain');
    const worker = tasks.filter((t) => t.thread.startsWith('DedicatedWorker'));
    const mainCpu = main.reduce((a, t) => a + cpu(t), 0);
    const workerCpu = worker.reduce((a, t) => a + cpu(t), 0);
    const mainWallLong = main.filter((t) => t.dur > 50_000);
    const mainCpuLong = main.filter((t) => cpu(t) > 50_000);
    console.log(
      `loop: ${runs} runs in ${((to - from) / 1000).toFixed(1)} s; rAF ${fps.toFixed(0)}/s (idle ${idleFps.toFixed(0)}/s), longest rAF gap ${maxGap.toFixed(0)} ms; ` +
        `main thread CPU ${ms(mainCpu)} ms (${((100 * mainCpu) / windowUs).toFixed(1)}% of the window), longest main task CPU ${ms(Math.max(0, ...main.map(cpu)))} ms; ` +
        `worker CPU ${ms(workerCpu)} ms; PerformanceObserver long tasks (wall) ${long.length}: ${JSON.stringify(long.slice(0, 20))}; ` +
        `trace main tasks > 50 ms wall [wall, cpu] ${JSON.stringify(mainWallLong.slice(0, 20).map((t) => [ms(t.dur), ms(cpu(t))]))}`,
    );
    expect(runs).toBeGreaterThanOrEqual(20);
    // Inference ran off the main thread: the workers did the work, the main thread stayed mostly idle.
    expect(workerCpu).toBeGreaterThan(mainCpu);
    expect(mainCpu / windowUs).toBeLessThan(0.25);
    // No long task caused by inference: no main-thread task did more than 50 ms of work. On this shared,
    // overloaded 2-core box the OS deschedules the page, so PerformanceObserver (wall clock) can report
    // stalls; each must be one the trace saw as wall-long but CPU-short.
    expect(mainCpuLong.map((t) => ms(cpu(t)))).toEqual([]);
    expect(long.filter((d) => d > 50).length).toBeLessThanOrEqual(mainWallLong.length);
    // The rAF counter kept ticking through the whole window.
    expect(frames.length - 2).toBeGreaterThanOrEqual((to - from) / 1000);
    // No multi-second freeze either. The bound is loose because a gap is wall clock: the OS pausing the whole page on
    // a saturated 2-core machine shows up here too (1.4-2 s seen at load average ~15, with < 12 ms main-thread CPU).
    expect(maxGap).toBeLessThan(3000);
  });

  it('reports a bad file with a stable error code, not a crash', async () => {
    await upload(page, 'notes.png', new TextEncoder().encode('definitely not an image'));
    await waitStatus(page, 'classification', 'error');
    const text = await page.textContent('[data-testid="classification"] .error');
    expect(text).toMatch(/^(UNSUPPORTED_IMAGE_FORMAT|IMAGE_DECODE_FAILED|EMPTY_INPUT):/);
  });

  it('classifies and detects webcam frames (video -> ImageBitmap transferred to the workers)', async () => {
    await page.click('[data-testid="webcam-toggle"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="top5"] li').length === 5, null, { timeout: 60_000 });
    expect(await page.getAttribute('[data-testid="classification"]', 'data-status')).toBe('webcam');
    // Frames keep flowing: the frame latency text changes over time.
    const first = await page.textContent('[data-testid="detection"]');
    await page.waitForFunction((f) => document.querySelector('[data-testid="detection"]')?.textContent !== f, first, { timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'demo-webcam.png') });
    await page.click('[data-testid="webcam-toggle"]');
  });

  it('serves the models from Cache Storage (sha256-verified) on the next visit', async () => {
    const before = server.requests.filter((r) => r.endsWith('.onnx')).length;
    await page.reload();
    await waitStatus(page, 'classifier', 'ready');
    await waitStatus(page, 'detector', 'ready');
    const hits = await page.$$eval('[data-testid="classifier"],[data-testid="detector"]', (els) => els.map((e) => Number((e as HTMLElement).dataset.cacheHits)));
    expect(hits.every((h) => h >= 1)).toBe(true);
    expect(server.requests.filter((r) => r.endsWith('.onnx')).length).toBe(before);
    expect(pageErrors).toEqual([]);
  });
});
