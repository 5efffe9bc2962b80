/**
 * A Hugging Face folder loaded in Chromium with the page's real Cache Storage: the first load downloads and pins the
 * files ('first-download'), a reload is served from Cache Storage and verified against the pins kept there ('pinned', no
 * ONNX request), and a tampered cache entry is evicted and fetched again.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedBuild, HF_PY } from '../node/bring-your-own/build-cache.js';
import { chromiumAvailable, launchChromium, startStaticServer, type LaunchedBrowser, type StaticServer } from './harness.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const OUT = join(ROOT, 'test-artifacts/byo-cache-page');
const haveChromium = await chromiumAvailable();

describe.skipIf(!haveChromium)('Hugging Face folder in Chromium: Cache Storage and pins', () => {
  let server: StaticServer;
  let browser: LaunchedBrowser;
  let image: string;

  beforeAll(async () => {
    const dir = cachedBuild({ python: HF_PY, script: 'make_hf_resnet.py', name: 'hf-resnet' });
    await build({ entryPoints: [join(ROOT, 'test/browser/pages/byo-cache.ts')], bundle: true, format: 'esm', platform: 'browser', outfile: join(OUT, 'page.js'), logLevel: 'warning', external: ['node:*'] });
    writeFileSync(join(OUT, 'index.html'), '<!doctype html><meta charset="utf-8"><title>byo</title><script type="module" src="/page.js"></script>');
    server = await startStaticServer({ routes: [{ prefix: '/hf/', dir }, { prefix: '/', dir: OUT }] });
    image = `${server.url}hf/images/img2-640x480.png`;
    browser = await launchChromium();
    await browser.page.goto(server.url);
    await browser.page.waitForFunction(() => typeof window.loadHf === 'function');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const onnxRequests = () => server.requests.filter((p) => p.endsWith('.onnx')).length;

  it('first load downloads and pins; after a reload the files come from Cache Storage, verified against the pins', async () => {
    const url = `${server.url}hf/`;
    const first = (await browser.page.evaluate((o) => window.loadHf(o), { url, image })) as Record<string, any>;
    expect(first.origin).toMatchObject({ kind: 'hf', file: 'onnx/model_int8.onnx', integrity: 'first-download' });
    expect(first.backend).toBe('wasm');
    expect(first.lastProgress.loaded).toBe(first.lastProgress.total);
    const afterFirst = onnxRequests();
    expect(afterFirst).toBeGreaterThan(0);

    await browser.page.reload();
    await browser.page.waitForFunction(() => typeof window.loadHf === 'function');
    const second = (await browser.page.evaluate((o) => window.loadHf(o), { url, image })) as Record<string, any>;
    expect(second.origin).toMatchObject({ integrity: 'pinned', sha256: first.origin.sha256 });
    expect(second.labels).toEqual(first.labels);
    expect(onnxRequests()).toBe(afterFirst); // no ONNX request: Cache Storage served it

    expect(await browser.page.evaluate((u) => window.tamperCached(u), `${url}onnx/model_int8.onnx`)).toBe(true);
    const third = (await browser.page.evaluate((o) => window.loadHf(o), { url, image })) as Record<string, any>;
    expect(third.origin).toMatchObject({ integrity: 'pinned', sha256: first.origin.sha256 });
    expect(onnxRequests()).toBe(afterFirst + 1); // the tampered entry was evicted and fetched again
  });
});
