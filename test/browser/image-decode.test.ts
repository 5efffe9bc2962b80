/**
 * Decode to size in a real browser (headless Debian Chromium): encoded bytes go through createImageBitmap with
 * resizeWidth/resizeHeight/resizeQuality 'high' at a reduction that keeps >= 2x the model's resize target, then the
 * same Pillow-exact resize as in Node. The tensor must be close to Node's fast path (the browser's resize filter is
 * its own), the transform identical, and exact mode (full-size platform decode) must match Node's exact path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planResize } from '../../packages/core/src/image/geometry.js';
import { preprocessEncoded } from '../../packages/core/src/index.js';
import type { InputSpec } from '../../packages/core/src/package/manifest-types.js';
import { chromiumAvailable, launchChromium, startStaticServer, type LaunchedBrowser, type StaticServer } from './harness.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const OUT = join(ROOT, 'test-artifacts/image-decode-page');
const haveChromium = await chromiumAvailable();
const fx = (name: string) => new Uint8Array(readFileSync(join(ROOT, 'packages/core/test-fixtures/images', name)));

const INPUT: InputSpec = {
  name: 'input',
  shape: [1, 3, 12, 16],
  layout: 'NCHW',
  channels: 'rgb',
  resize: { mode: 'shorter-side-crop', shorterSide: 14, filter: 'bilinear' },
  scale: 1,
  mean: [0],
  std: [1],
};

interface PageResult {
  decoded: { path: string; width: number; height: number; scale: number };
  transform: unknown;
  tensor: number[];
}

describe.skipIf(!haveChromium)('decode to size in Chromium', () => {
  let server: StaticServer;
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    await build({ entryPoints: [join(ROOT, 'test/browser/pages/image-decode.ts')], bundle: true, format: 'esm', platform: 'browser', outfile: join(OUT, 'page.js'), logLevel: 'warning', external: ['node:*'] });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(OUT, 'index.html'), '<!doctype html><meta charset="utf-8"><title>decode</title><script type="module" src="/page.js"></script>');
    server = await startStaticServer({ routes: [{ prefix: '/', dir: OUT }] });
    browser = await launchChromium();
    await browser.page.goto(server.url);
    await browser.page.waitForFunction(() => typeof window.preprocessBytes === 'function');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const inPage = (file: string, decode: 'fast' | 'exact') =>
    browser.page.evaluate((a) => window.preprocessBytes(a), { bytes: Array.from(fx(file)), input: INPUT, options: { decode } }) as Promise<PageResult>;

  it.each(['size-420.jpg', 'size-orient6.jpg', 'size-gray.jpg'])('%s: createImageBitmap resizes to >= 2x the target; close to Node', async (file) => {
    const got = await inPage(file, 'fast');
    const node = await preprocessEncoded({ bytes: fx(file), input: INPUT });
    expect(got.decoded.path).toBe('platform');
    expect(got.transform).toEqual(node.transform);
    // Upright size / k with k = floor(min(w / 2rw, h / 2rh)): the browser honoured the resize options.
    const { srcWidth: w, srcHeight: h } = node.transform;
    const plan = planResize({ srcWidth: w, srcHeight: h, width: 16, height: 12, policy: INPUT.resize });
    const k = Math.max(1, Math.floor(Math.min(w / (2 * plan.resizeWidth), h / (2 * plan.resizeHeight))));
    expect(k).toBeGreaterThan(1);
    expect([got.decoded.width, got.decoded.height]).toEqual([Math.round(w / k), Math.round(h / k)]);
    let sum = 0;
    for (let i = 0; i < got.tensor.length; i++) sum += Math.abs(got.tensor[i] - node.tensor.data[i]);
    expect(sum / got.tensor.length).toBeLessThan(6); // 8-bit levels: a different (browser) reduction filter
  });

  it.each(['size-444.jpg', 'rgb.png'])('%s: exact mode decodes at full size and matches Node exactly', async (file) => {
    const got = await inPage(file, 'exact');
    const node = await preprocessEncoded({ bytes: fx(file), input: INPUT, decode: 'exact' });
    expect(got.decoded.path).toBe('full');
    expect(got.tensor).toEqual(Array.from(node.tensor.data));
  });
});
