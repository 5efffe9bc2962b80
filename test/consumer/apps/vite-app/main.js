// A Vite app: load + classify on the main thread, built-in model id, no configuration (vite build and vite dev).
import { load } from '@resnet-edge/core';

const out = document.getElementById('out');
try {
  const model = await load({ model: 'fmnist-resnet20' });
  const image = await createImageBitmap(await (await fetch('./bag.png')).blob());
  const top = await model.classify(image, { topK: 3 });
  out.textContent = `${model.backend}: ${top.map((c) => `${c.label} ${c.score.toFixed(3)}`).join(', ')}`;
  window.result = { backend: model.backend, top };
} catch (e) {
  out.textContent = `${e.code}: ${e.message}`;
  window.result = { error: { code: e.code, message: e.message, details: e.details } };
}
