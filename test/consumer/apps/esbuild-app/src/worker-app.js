// Inference in the package's default Web Worker (what the React hooks use), with no worker configuration.
import { createDefaultWorker, getModelStore } from '@resnet-edge/core/web-worker';

const out = document.getElementById('out');
const store = getModelStore({ model: 'fmnist-resnet20', createWorker: createDefaultWorker, cache: false });
const release = store.acquire();
try {
  const blob = await (await fetch('./bag.png')).blob();
  const top = await store.classify(blob, { topK: 3 });
  out.textContent = top.map((c) => `${c.label} ${c.score.toFixed(3)}`).join(', ');
  window.result = { backend: store.getSnapshot().backend, top };
} catch (e) {
  out.textContent = `${e.code}: ${e.message}`;
  window.result = { error: { code: e.code, message: e.message, details: e.details } };
} finally {
  release();
}
