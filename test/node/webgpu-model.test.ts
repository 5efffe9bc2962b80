/**
 * The own WebGPU engine on the default model in Node + Dawn (SwiftShader): integer-identical to the wasm engine on
 * the same plan, batch > 1, both shader paths, device-loss recovery and wasm fallback, backend selection.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../../packages/core/src/backends/wasm/wasm-backend.js';
import { createWasmSession } from '../../packages/core/src/engine/session/wasm-session.js';
import { createWebGpuBackend } from '../../packages/core/src/backends/webgpu/webgpu-backend.js';
import { createWebGpuSession } from '../../packages/core/src/engine/session/webgpu-session.js';
import { createBackendRegistry } from '../../packages/core/src/backends/backend-registry.js';
import { hasSwiftShader, setupDawn } from '../../packages/core/src/testing/dawn-test-setup.js';
import type { ModelManifest } from '../../packages/core/src/package/manifest-types.js';
import { load } from '../../packages/core/src/index.js';

const dir = fileURLToPath(new URL('../../models/fmnist-resnet20/', import.meta.url));
const manifest = JSON.parse(readFileSync(`${dir}model.json`, 'utf8')) as ModelManifest;
const bytes = new Uint8Array(readFileSync(`${dir}${manifest.files.find((f) => f.role === 'model')!.path}`));
const input = (N: number) => ({ data: Float32Array.from({ length: N * 784 }, (_, i) => Math.sin(i * 0.37 + N) * 2), dims: [N, 1, 28, 28] });

if (!hasSwiftShader) console.warn('\n*** SKIPPING test/node/webgpu-model.test.ts: no SwiftShader ICD ***\n');

describe.skipIf(!hasSwiftShader)('own WebGPU engine on fmnist-resnet20 (Node + Dawn)', () => {
  it('logits are identical to the wasm engine: batch 1 and 4, packed dot4 and fallback shaders', async () => {
    await setupDawn();
    const wasm = await createWasmSession({ model: bytes, inputShapes: { input: [1, 1, 28, 28] } });
    for (const disablePackedDot of [false, true]) {
      const gpu = await createWebGpuSession({ model: bytes, inputShapes: { input: [1, 1, 28, 28] }, disablePackedDot });
      expect(gpu.packedDot).toBe(!disablePackedDot);
      for (const N of [1, 4]) {
        const want = wasm.runRaw({ input: input(N) }).logits;
        const got = (await gpu.runRaw({ input: input(N) })).logits;
        expect(got.dims).toEqual([N, 10]);
        expect(Array.from(got.data)).toEqual(Array.from(want.data));
      }
      await gpu.dispose();
    }
  });

  it('rebuilds after device loss, then falls back to wasm (with an event) when no device can be had', async () => {
    await setupDawn();
    const want = Array.from((await createWasmSession({ model: bytes })).runRaw({ input: input(1) }).logits.data);
    const s = await createWebGpuSession({ model: bytes, inputShapes: { input: [1, 1, 28, 28] } });
    const events: string[] = [];
    for (const t of ['devicelost', 'restored', 'fallback']) s.addEventListener(t, () => events.push(t));
    s.device!.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect(Array.from((await s.runRaw({ input: input(1) })).logits.data)).toEqual(want);
    expect(events).toEqual(['devicelost', 'restored']);
    expect(s.backend).toBe('webgpu');
    // Lose it again while no adapter is available: the session moves to wasm and says so.
    const g = globalThis as { __resnetEdgeGpu?: GPU };
    const real = g.__resnetEdgeGpu;
    g.__resnetEdgeGpu = { requestAdapter: async () => null } as unknown as GPU;
    try {
      s.device!.destroy();
      await new Promise((r) => setTimeout(r, 50));
      expect(Array.from((await s.runRaw({ input: input(1) })).logits.data)).toEqual(want);
    } finally {
      g.__resnetEdgeGpu = real;
    }
    expect(events).toEqual(['devicelost', 'restored', 'devicelost', 'fallback']);
    expect(s.backend).toBe('wasm');
    await s.dispose();
  });

  it("registry: 'auto' prefers wasm on the software adapter; 'webgpu' can be forced", async () => {
    await setupDawn();
    const registry = createBackendRegistry();
    registry.register(createWasmBackend());
    registry.register(createWebGpuBackend());
    expect((await registry.availability('webgpu')).fallbackAdapter).toBe(true);
    const auto = await registry.createSession({ backend: 'auto', manifest, modelBytes: bytes });
    expect(auto.backend).toBe('wasm');
    const forced = await registry.createSession({ backend: 'webgpu', manifest, modelBytes: bytes });
    expect(forced.backend).toBe('webgpu');
    const a = await auto.run({ input: input(1) }), b = await forced.run({ input: input(1) });
    expect(Array.from(b.logits.data)).toEqual(Array.from(a.logits.data));
    await forced.dispose();
    await auto.dispose();
  });

  it("public API: load({ backend: 'webgpu' }) classifies real samples exactly like load({ backend: 'wasm' })", async () => {
    await setupDawn();
    const gpuModel = await load({ model: 'fmnist-resnet20', backend: 'webgpu' });
    const wasmModel = await load({ model: 'fmnist-resnet20', backend: 'wasm' });
    expect(gpuModel.backend).toBe('webgpu');
    for (const sample of ['sneaker.png', 'bag-112.png', 'trouser.png']) {
      const img = new Uint8Array(readFileSync(`${dir}samples/${sample}`));
      expect(await gpuModel.classify(img, { topK: 3 })).toEqual(await wasmModel.classify(img, { topK: 3 }));
    }
    await gpuModel.dispose();
    await wasmModel.dispose();
  });
});
