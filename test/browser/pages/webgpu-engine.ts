// Browser page for test/browser/webgpu-engine.test.ts: runs the own WebGPU engine and the own wasm engine on the
// same model and input in Chromium and returns both outputs.
import { createWasmSession } from '../../../packages/core/src/engine/session/wasm-session.js';
import { createWebGpuSession } from '../../../packages/core/src/engine/session/webgpu-session.js';
import { hasPackedDot } from '../../../packages/core/src/engine/webgpu/wgsl-common.js';

declare global {
  interface Window {
    runEngines(o: { modelUrl: string; N: number; disablePackedDot: boolean }): Promise<unknown>;
    gpuFacts(): Promise<unknown>;
  }
}

const input = (N: number) => Float32Array.from({ length: N * 784 }, (_, i) => Math.sin(i * 0.37 + N) * 2);

window.gpuFacts = async () => {
  const adapter = await navigator.gpu?.requestAdapter();
  return {
    hasGpu: Boolean(adapter),
    isFallbackAdapter: Boolean((adapter?.info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter),
    packedDot: hasPackedDot(navigator.gpu),
  };
};

window.runEngines = async ({ modelUrl, N, disablePackedDot }) => {
  const bytes = new Uint8Array(await (await fetch(modelUrl)).arrayBuffer());
  const dims = [N, 1, 28, 28];
  const data = input(N);
  const gpu = await createWebGpuSession({ model: bytes, inputShapes: { input: dims }, disablePackedDot });
  const t0 = performance.now();
  const g = await gpu.runRaw({ input: { data, dims } });
  const ms = performance.now() - t0;
  const packed = gpu.packedDot;
  await gpu.dispose();
  const wasm = await createWasmSession({ model: bytes, inputShapes: { input: dims } });
  const w = wasm.runRaw({ input: { data, dims } });
  return { packed, ms, gpu: Array.from(g.logits.data), wasm: Array.from(w.logits.data) };
};
