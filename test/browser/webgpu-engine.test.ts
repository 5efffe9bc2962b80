/**
 * The own int8 WebGPU engine in headless Chromium (SwiftShader adapter, --enable-unsafe-webgpu): logits must be
 * identical to the own wasm engine's in the same page and to Node's wasm engine, with packed and fallback shaders.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWasmSession } from '../../packages/core/src/engine/session/wasm-session.js';
import type { ModelManifest } from '../../packages/core/src/package/manifest-types.js';
import { chromiumAvailable, launchChromium, startStaticServer, type LaunchedBrowser, type StaticServer } from './harness.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const OUT = join(ROOT, 'test-artifacts/webgpu-engine-page');
const MODEL_DIR = join(ROOT, 'models/fmnist-resnet20');
const haveModel = existsSync(join(MODEL_DIR, 'model.json'));
const haveChromium = await chromiumAvailable();
if (!haveChromium || !haveModel) console.warn(`\n*** SKIPPING webgpu-engine browser test: chromium=${haveChromium} model=${haveModel} ***\n`);

describe.skipIf(!haveChromium || !haveModel)('own WebGPU engine in Chromium', () => {
  let server: StaticServer;
  let browser: LaunchedBrowser;
  let modelFile = '';

  beforeAll(async () => {
    const manifest = JSON.parse(readFileSync(join(MODEL_DIR, 'model.json'), 'utf8')) as ModelManifest;
    modelFile = manifest.files.find((f) => f.role === 'model')!.path;
    await build({
      entryPoints: [join(ROOT, 'test/browser/pages/webgpu-engine.ts')],
      bundle: true, format: 'esm', platform: 'browser', outfile: join(OUT, 'page.js'), logLevel: 'warning', external: ['node:*'],
    });
    writeFileSync(join(OUT, 'index.html'), '<!doctype html><meta charset="utf-8"><title>webgpu</title><script type="module" src="/page.js"></script>');
    server = await startStaticServer({ routes: [{ prefix: '/models/', dir: join(ROOT, 'models') }, { prefix: '/', dir: OUT }] });
    browser = await launchChromium();
    await browser.page.goto(server.url);
    await browser.page.waitForFunction(() => typeof window.runEngines === 'function');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('has a software adapter with packed_4x8_integer_dot_product', async () => {
    const facts = (await browser.page.evaluate(() => window.gpuFacts())) as { hasGpu: boolean; isFallbackAdapter: boolean; packedDot: boolean };
    expect(facts).toEqual({ hasGpu: true, isFallbackAdapter: true, packedDot: true });
  });

  for (const { N, disablePackedDot } of [{ N: 1, disablePackedDot: false }, { N: 2, disablePackedDot: false }, { N: 1, disablePackedDot: true }]) {
    it(`batch ${N}, ${disablePackedDot ? 'fallback' : 'dot4I8Packed'} shaders: logits identical to the wasm engine (browser and Node)`, async () => {
      const got = (await browser.page.evaluate((o) => window.runEngines(o), { modelUrl: `/models/fmnist-resnet20/${modelFile}`, N, disablePackedDot })) as {
        packed: boolean; ms: number; gpu: number[]; wasm: number[];
      };
      expect(got.packed).toBe(!disablePackedDot);
      expect(got.gpu).toHaveLength(N * 10);
      expect(got.gpu).toEqual(got.wasm);
      const bytes = new Uint8Array(readFileSync(join(MODEL_DIR, modelFile)));
      const node = await createWasmSession({ model: bytes, inputShapes: { input: [N, 1, 28, 28] } });
      const data = Float32Array.from({ length: N * 784 }, (_, i) => Math.sin(i * 0.37 + N) * 2);
      expect(got.gpu).toEqual(Array.from(node.runRaw({ input: { data, dims: [N, 1, 28, 28] } }).logits.data));
    });
  }
});
