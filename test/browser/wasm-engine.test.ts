/**
 * The own wasm engine inside headless Chromium, where V8 is current and relaxed SIMD is on (Node 20 has neither
 * usdot lowering nor relaxed SIMD by default): the conv case table on every engine variant, including the relaxed
 * build's default kernel (gemm mode 3, usdot, where the CPU has AVX-VNNI) and two threads; and a model's logits on
 * each variant against Node's wasm engine, bit for bit.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWasmSession } from '../../packages/core/src/engine/session/wasm-session.js';
import { chromiumAvailable, launchChromium, startStaticServer, type LaunchedBrowser, type StaticServer } from './harness.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const OUT = join(ROOT, 'test-artifacts/wasm-engine-page');
const MODEL = join(ROOT, 'models/fmnist-resnet20/model.int8.onnx');
const haveChromium = await chromiumAvailable();
if (!haveChromium) console.warn('\n*** SKIPPING wasm-engine browser test: no chromium ***\n');

const VARIANTS = [
  { name: 'SIMD128 build', o: { relaxedSimd: false } },
  { name: 'relaxed build, default kernel', o: { relaxedSimd: true } },
  { name: 'relaxed build, SIMD128 kernel (mode 0)', o: { relaxedSimd: true, relaxedMode: 0 as const } },
  { name: 'relaxed dot-add (mode 1)', o: { relaxedSimd: true, relaxedMode: 1 as const } },
  { name: 'relaxed i16 dot (mode 2)', o: { relaxedSimd: true, relaxedMode: 2 as const } },
  { name: '2 threads', o: { threads: 2 } },
  { name: '2 threads, SIMD128 build (Winograd)', o: { threads: 2, relaxedSimd: false } },
];

describe.skipIf(!haveChromium)('own wasm engine in Chromium', () => {
  let server: StaticServer;
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    await build({
      entryPoints: [join(ROOT, 'test/browser/pages/wasm-engine.ts')],
      bundle: true, format: 'esm', platform: 'browser', outfile: join(OUT, 'page.js'), logLevel: 'warning', external: ['node:*'],
    });
    writeFileSync(join(OUT, 'index.html'), '<!doctype html><meta charset="utf-8"><title>wasm engine</title><script type="module" src="/page.js"></script>');
    server = await startStaticServer({ routes: [{ prefix: '/models/', dir: join(ROOT, 'models') }, { prefix: '/', dir: OUT }] });
    browser = await launchChromium();
    await browser.page.goto(server.url);
    await browser.page.waitForFunction(() => typeof window.runConvCases === 'function');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the relaxed build defaults to the usdot kernel exactly where its known-answer test passes', async () => {
    const f = await browser.page.evaluate(() => window.usdotFacts());
    expect(f.defaultMode).toBe(f.usdot ? 3 : 0);
    // This machine's CPU has AVX-VNNI: say so when the usdot kernel is not exercised at all.
    if (!f.usdot) console.warn('usdot kernel not available in this Chromium/CPU: mode 3 is untested here');
  });

  for (const v of VARIANTS) {
    it(`${v.name}: every conv case equals the TS reference`, async () => {
      const r = await browser.page.evaluate((o) => window.runConvCases(o), v.o);
      expect(r.ran).toBeGreaterThan(10);
      expect(r.threads).toBe(v.o.threads ?? 1);
      expect(r.failures).toEqual([]);
    });
  }

  it.skipIf(!existsSync(MODEL))('fmnist-resnet20 logits on every variant = Node wasm engine, bit for bit', async () => {
    const dims = [2, 1, 28, 28];
    const data = Array.from({ length: 2 * 784 }, (_, i) => Math.sin(i * 0.37) * 2);
    const node = await createWasmSession({ model: new Uint8Array(readFileSync(MODEL)) });
    const want = Array.from(node.runRaw({ input: { data: Float32Array.from(data), dims } }).logits.data as Float32Array);
    for (const v of VARIANTS) {
      const r = await browser.page.evaluate((o) => window.runModel(o), { ...v.o, url: '/models/fmnist-resnet20/model.int8.onnx', dims, data });
      expect(r.out, v.name).toEqual(want);
    }
  });
});
