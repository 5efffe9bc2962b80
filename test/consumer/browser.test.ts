/**
 * Browser apps on the installed tarballs, in headless Debian Chromium: esbuild, webpack and Vite (build and dev server)
 * apps run load + classify with the built-in id and no configuration; the default Web Worker works with webpack as is
 * and with esbuild once worker-entry is an entry point, and without it fails with WORKER_LOAD_FAILED, URL and 404.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../browser/harness.js';
import { launchChromium, pageResult, runBuiltApp, type PageResult, type Transfer } from './browser-app.js';
import { APP_DIR, freePort, run, startProcess } from './consumer-app.js';
import { BUDGETS, writeSizes, type SizeRecord } from './sizes.js';

const SAMPLE = join(APP_DIR, 'node_modules/@resnet-edge/models/samples/fmnist-resnet20/bag.png');
const sizes: SizeRecord[] = [];

function expectBag(r: PageResult, backend?: string): void {
  expect(r.error).toBeUndefined();
  if (backend) expect(r.backend).toBe(backend);
  expect(r.top?.[0]?.label).toBe('Bag');
  expect(r.top?.[0]?.score).toBeGreaterThan(0.9);
}

/** Messages of the own JPEG and PNG decoders (they survive minification). */
const JS_DECODERS = [/no frame header \(SOF\) before the first scan/, /too little image data for the declared size/];
/** The start of a base64 wasm module ("\0asm", version 1): one per engine build. */
const ENGINE_BUILD = /AGFzbQEAAAA/g;

/**
 * The app's build holds the JS image decoders and every engine build as lazy chunks; the page, which decodes with
 * createImageBitmap, downloaded neither decoder and exactly one engine build.
 */
function expectLazyChunksLeftOut(dir: string, transfer: Transfer): void {
  const read = (p: string) => readFileSync(join(dir, p), 'utf8');
  const built = (readdirSync(dir, { recursive: true }) as string[]).filter((p) => /\.m?js$/.test(p)).map(read).join('\n');
  const downloaded = transfer.files.map((f) => read(f.path)).join('\n');
  for (const re of JS_DECODERS) {
    expect(built).toMatch(re);
    expect(downloaded).not.toMatch(re);
  }
  expect(built.match(ENGINE_BUILD)?.length).toBeGreaterThanOrEqual(2);
  expect(downloaded.match(ENGINE_BUILD)?.length).toBe(1);
}

async function esbuild(outdir: string, entries: string[]): Promise<void> {
  rmSync(join(APP_DIR, outdir), { recursive: true, force: true });
  const r = await run('npx', ['--no-install', 'esbuild', ...entries, '--bundle', '--splitting', '--format=esm', '--minify', `--outdir=${outdir}`, '--entry-names=[name]', '--log-level=warning']);
  expect(r.stderr + r.stdout).toBe('');
  expect(r.code).toBe(0);
  for (const f of ['index.html', 'worker.html']) copyFileSync(join(APP_DIR, 'esbuild-app', f), join(APP_DIR, outdir, f));
  copyFileSync(SAMPLE, join(APP_DIR, outdir, 'bag.png'));
}

describe.skipIf(!(await chromiumAvailable()))('browser apps (installed from the tarballs, headless Chromium)', () => {
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    for (const app of ['vite-app', 'react-app', 'react-base']) {
      mkdirSync(join(APP_DIR, app, 'public'), { recursive: true });
      copyFileSync(SAMPLE, join(APP_DIR, app, 'public/bag.png'));
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    writeSizes('browser', sizes);
  });

  it('esbuild app: load + classify with the built-in id; the own engine stays within 80 KB gzip; no onnxruntime-web', async () => {
    await esbuild('esbuild-app/dist', ['esbuild-app/src/app.js']);
    const { result, transfer } = await runBuiltApp({ browser, dir: join(APP_DIR, 'esbuild-app/dist'), page: 'index.html' });
    expectBag(result, 'wasm');
    sizes.push({ what: 'esbuild app, `load` + `classify` on the own engine (JS + wasm the page downloads)', gzip: transfer.codeGzip });
    sizes.push({ what: 'built-in classifier chunk (`fmnist-resnet20`, downloaded on first use)', gzip: transfer.modelGzip });
    expect(transfer.codeGzip).toBeLessThanOrEqual(BUDGETS.browserApp);
    // onnxruntime-web is installed in this app, yet nothing of it reaches the bundle.
    const bundle = transfer.files.map((f) => readFileSync(join(APP_DIR, 'esbuild-app/dist', f.path), 'utf8')).join('\n');
    expect(bundle).not.toMatch(/InferenceSession\.create\s*=|ort-wasm-simd/);
    expectLazyChunksLeftOut(join(APP_DIR, 'esbuild-app/dist'), transfer);
  });

  it('esbuild app with the default Web Worker: worker-entry as a second entry point is all it needs', async () => {
    await esbuild('esbuild-app/dist-worker', ['esbuild-app/src/worker-app.js', 'worker-entry=@resnet-edge/core/worker-entry']);
    const { result } = await runBuiltApp({ browser, dir: join(APP_DIR, 'esbuild-app/dist-worker'), page: 'worker.html' });
    expectBag(result);
  });

  it('without the worker entry the failure names the script URL and HTTP 404 (WORKER_LOAD_FAILED)', async () => {
    await esbuild('esbuild-app/dist-no-worker', ['esbuild-app/src/worker-app.js']);
    const { result } = await runBuiltApp({ browser, dir: join(APP_DIR, 'esbuild-app/dist-no-worker'), page: 'worker.html' });
    expect(result.error?.code).toBe('WORKER_LOAD_FAILED');
    expect(result.error?.details).toMatchObject({ status: 404 });
    expect(String(result.error?.details?.url)).toMatch(/\/worker-entry\.js$/);
  });

  it('webpack 5 app: load + classify, and the default Web Worker, with a plain config', async () => {
    const r = await run('npx', ['--no-install', 'webpack', '--config', 'webpack-app/webpack.config.mjs']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/WARNING|ERROR/);
    for (const f of ['index.html', 'worker.html']) copyFileSync(join(APP_DIR, 'esbuild-app', f), join(APP_DIR, 'webpack-app/dist', f));
    copyFileSync(SAMPLE, join(APP_DIR, 'webpack-app/dist/bag.png'));
    const main = await runBuiltApp({ browser, dir: join(APP_DIR, 'webpack-app/dist'), page: 'index.html' });
    expectBag(main.result, 'wasm');
    sizes.push({ what: 'webpack app, `load` + `classify` on the own engine (JS + wasm the page downloads)', gzip: main.transfer.codeGzip });
    expectLazyChunksLeftOut(join(APP_DIR, 'webpack-app/dist'), main.transfer);
    const worker = await runBuiltApp({ browser, dir: join(APP_DIR, 'webpack-app/dist'), page: 'worker.html' });
    expectBag(worker.result);
  });

  it('Vite app, vite build: load + classify with the built-in id, no configuration', async () => {
    const r = await run('npx', ['--no-install', 'vite', 'build', '--logLevel', 'warn'], { cwd: join(APP_DIR, 'vite-app') });
    expect(r.code).toBe(0);
    const { result, transfer } = await runBuiltApp({ browser, dir: join(APP_DIR, 'vite-app/dist') });
    expectBag(result, 'wasm');
    sizes.push({ what: 'Vite app, `load` + `classify` on the own engine (JS + wasm the page downloads)', gzip: transfer.codeGzip });
    expect(transfer.codeGzip).toBeLessThanOrEqual(BUDGETS.browserApp);
    expectLazyChunksLeftOut(join(APP_DIR, 'vite-app/dist'), transfer);
  });

  it('Vite app, vite dev server: the same page works unbundled', async () => {
    const port = await freePort();
    const dev = await startProcess({
      cmd: 'npx',
      args: ['--no-install', 'vite', '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
      cwd: join(APP_DIR, 'vite-app'),
      ready: /Local:/,
    });
    try {
      expectBag(await pageResult({ browser, url: `http://127.0.0.1:${port}/` }), 'wasm');
    } finally {
      await dev.stop();
    }
  });
});
