// Browser page for test/browser/byo-cache.test.ts: loads a Hugging Face folder through the public API with the page's real
// Cache Storage (files and first-download pins), and can tamper with the cached ONNX.
import { load } from '../../../packages/core/src/index.js';

declare global {
  interface Window {
    loadHf(o: { url: string; image: string }): Promise<unknown>;
    tamperCached(url: string): Promise<boolean>;
  }
}

window.loadHf = async ({ url, image }) => {
  const progress: Array<{ loaded: number; total: number }> = [];
  const model = await load({ model: url, backend: 'wasm', onProgress: (p) => progress.push(p) });
  const bytes = new Uint8Array(await (await fetch(image)).arrayBuffer());
  const top = await model.classify(new Blob([bytes]), { topK: 2 });
  const out = { origin: model.origin, backend: model.backend, labels: top.map((t) => t.label), lastProgress: progress.at(-1) };
  await model.dispose();
  return JSON.parse(JSON.stringify(out));
};

window.tamperCached = async (url) => {
  const cache = await caches.open('resnet-edge-models-v1');
  if (!(await cache.match(url))) return false;
  await cache.put(url, new Response(new Uint8Array([1, 2, 3])));
  return true;
};
