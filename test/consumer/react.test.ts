/**
 * React + Vite app on the installed tarballs: `useClassification` with no provider and no worker configuration,
 * built (vite build) and served by the dev server, in headless Chromium. Screenshots are kept in
 * test-artifacts/consumer/. The hooks' cost is measured against the same app without resnet-edge.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../browser/harness.js';
import { launchChromium, pageResult, runBuiltApp } from './browser-app.js';
import { APP_DIR, ARTIFACTS, freePort, run, startProcess } from './consumer-app.js';
import { BUDGETS, writeSizes, type SizeRecord } from './sizes.js';

const SAMPLE = join(APP_DIR, 'node_modules/@resnet-edge/models/samples/fmnist-resnet20/bag.png');
const sizes: SizeRecord[] = [];

describe.skipIf(!(await chromiumAvailable()))('React + Vite app (installed from the tarballs, headless Chromium)', () => {
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    for (const app of ['react-app', 'react-base']) {
      mkdirSync(join(APP_DIR, app, 'public'), { recursive: true });
      copyFileSync(SAMPLE, join(APP_DIR, app, 'public/bag.png'));
    }
    browser = await launchChromium({ viewport: { width: 480, height: 240 } });
  });
  afterAll(async () => {
    await browser?.close();
    writeSizes('react', sizes);
  });

  it('vite build: useClassification classifies in the default worker with zero configuration', async () => {
    for (const app of ['react-app', 'react-base']) {
      const r = await run('npx', ['--no-install', 'vite', 'build', '--logLevel', 'warn'], { cwd: join(APP_DIR, app) });
      expect(r.code, r.stderr).toBe(0);
    }
    const { result, transfer } = await runBuiltApp({ browser, dir: join(APP_DIR, 'react-app/dist'), screenshot: join(ARTIFACTS, 'react-vite-build.png') });
    expect(result.error).toBeUndefined();
    expect(result.top?.[0]?.label).toBe('Bag');
    expect(await browser.page.textContent('li')).toMatch(/^Bag \d+\.\d%$/);

    const base = await runBuiltApp({ browser, dir: join(APP_DIR, 'react-base/dist') });
    const mainThread = (t: typeof transfer) => t.files.filter((f) => !f.model && !/worker-entry/.test(f.path)).reduce((n, f) => n + f.gzip, 0);
    const worker = transfer.files.filter((f) => /worker-entry/.test(f.path)).reduce((n, f) => n + f.gzip, 0);
    sizes.push({ what: 'React app: hooks + core web-worker client + comlink on the main thread (vs. the same app without them)', gzip: mainThread(transfer) - mainThread(base.transfer) });
    sizes.push({ what: 'React app: inference worker script (core runtime, own engine)', gzip: worker });
    // The hooks package alone (React and core external), minified.
    const probe = await run('npx', ['--no-install', 'esbuild', 'sizes/hooks-only.js', '--bundle', '--minify', '--format=esm', '--external:react', '--external:@resnet-edge/core/*', '--outfile=sizes/dist/hooks-only.js']);
    expect(probe.code).toBe(0);
    const hooksOnly = gzipSync(readFileSync(join(APP_DIR, 'sizes/dist/hooks-only.js')), { level: 9 }).length;
    sizes.push({ what: 'React hooks package alone, minified (core and React external)', gzip: hooksOnly });
    expect(hooksOnly).toBeLessThanOrEqual(BUDGETS.hooksOnTopOfCore);
    expect(worker).toBeGreaterThan(0);
    // The worker receives the model from the page: no model is inlined into the worker script.
    expect(worker).toBeLessThan(150_000);
  });

  it('vite dev server: the same app works unbundled (worker from the pre-bundled dependency)', async () => {
    const port = await freePort();
    const dev = await startProcess({
      cmd: 'npx',
      args: ['--no-install', 'vite', '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
      cwd: join(APP_DIR, 'react-app'),
      ready: /Local:/,
    });
    try {
      const result = await pageResult({ browser, url: `http://127.0.0.1:${port}/`, screenshot: join(ARTIFACTS, 'react-vite-dev.png') });
      expect(result.error).toBeUndefined();
      expect(result.top?.[0]?.label).toBe('Bag');
    } finally {
      await dev.stop();
    }
  });
});
