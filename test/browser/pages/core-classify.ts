// Browser page for test/browser/core-classify.test.ts: classifies a sample through the public core API.
import * as ortWasm from 'onnxruntime-web';
import * as ortWebGpu from 'onnxruntime-web/webgpu';
import { createWasmSession } from '../../../packages/core/src/engine/session/wasm-session.js';
import { createBackendRegistry, createOrtBackend, getDefaultRegistry, load, type BackendName, type ImageInput } from '../../../packages/core/src/index.js';

ortWasm.env.wasm.wasmPaths = '/ort/';
ortWebGpu.env.wasm.wasmPaths = '/ort/';

// Own registry for the onnxruntime backends: each gets the ORT build this page configured (wasm paths served from /ort/).
const ortRegistry = createBackendRegistry();
ortRegistry.register(createOrtBackend({ device: 'wasm', ort: ortWasm as never }));
ortRegistry.register(createOrtBackend({ device: 'webgpu', ort: ortWebGpu as never }));

declare global {
  interface Window {
    classifySample(o: { backend: BackendName; sample: string; as: 'bitmap' | 'blob' | 'bytes' | 'canvas'; decode?: 'fast' | 'exact' }): Promise<unknown>;
    gpuInfo(): Promise<unknown>;
    threadedCheck(): Promise<unknown>;
  }
}

window.classifySample = async ({ backend, sample, as, decode }) => {
  const bytes = new Uint8Array(await (await fetch(`/models/fmnist-resnet20/samples/${sample}`)).arrayBuffer());
  const blob = new Blob([bytes], { type: 'image/png' });
  let image: ImageInput;
  if (as === 'bitmap') image = await createImageBitmap(blob);
  else if (as === 'blob') image = blob;
  else if (as === 'canvas') {
    const bmp = await createImageBitmap(blob);
    const c = document.createElement('canvas');
    c.width = bmp.width;
    c.height = bmp.height;
    c.getContext('2d')!.drawImage(bmp, 0, 0);
    image = c;
  } else image = bytes;
  const model = await getModel(backend);
  const t0 = performance.now();
  const result = await model.classify(image, { topK: 3, ...(decode ? { preprocess: { decode } } : {}) });
  return { backend: model.backend, result, ms: performance.now() - t0 };
};

// One model per backend for the page's lifetime: session creation (shader compiles on SwiftShader) dominates otherwise.
const models = new Map<BackendName, ReturnType<typeof load>>();
function getModel(backend: BackendName) {
  let m = models.get(backend);
  if (!m) {
    const registry = backend.startsWith('ort-') ? ortRegistry : getDefaultRegistry();
    m = load({ model: 'fmnist-resnet20', backend, modelBaseUrl: '/models/', registry });
    m.catch(() => models.delete(backend));
    models.set(backend, m);
  }
  return m;
}

window.gpuInfo = async () => {
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) return null;
  return { isFallbackAdapter: (adapter.info as { isFallbackAdapter?: boolean }).isFallbackAdapter, features: [...navigator.gpu.wgslLanguageFeatures] };
};

// The own engine with a helper Web Worker on a shared memory (this page is cross-origin isolated), from the main
// thread, which may not block: the pool spins there. Logits must equal the single-threaded session's.
window.threadedCheck = async () => {
  const bytes = new Uint8Array(await (await fetch('/models/fmnist-resnet20/model.int8.onnx')).arrayBuffer());
  const one = await createWasmSession({ model: bytes });
  const two = await createWasmSession({ model: bytes, threads: 2 });
  const data = Float32Array.from({ length: 2 * 784 }, (_, i) => Math.sin(i) * 2);
  const feeds = { input: { data, dims: [2, 1, 28, 28] } };
  const a = Array.from((await one.run(feeds)).logits.data), b = Array.from((await two.run(feeds)).logits.data);
  await one.dispose();
  await two.dispose();
  return { crossOriginIsolated, threads: two.threads, equal: a.length === 20 && a.every((v, i) => v === b[i]) };
};
