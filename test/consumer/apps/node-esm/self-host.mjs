// The @resnet-edge/models README's self-hosting recipe, as written there, for both built-in models; then load() from
// the written folder with modelBaseUrl, and from readFileSync bytes (Node Buffers) of the written files.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { load } from '@resnet-edge/core';

const require = createRequire(import.meta.url);
const sample = (path) => readFileSync(require.resolve(`@resnet-edge/models/samples/${path}`));
const root = mkdtempSync(join(tmpdir(), 'resnet-edge-self-host-'));

// --- the recipe (public/ is the temporary folder) ---
for (const id of ['fmnist-resnet20', 'fmnist-scenes-centernet']) {
  const { manifest, bytes } = await import(`@resnet-edge/models/${id}`);
  mkdirSync(join(root, `public/models/${id}`), { recursive: true });
  writeFileSync(join(root, `public/models/${id}/model.json`), JSON.stringify(manifest));
  const all = await bytes();
  let at = 0;
  for (const f of manifest.files) writeFileSync(join(root, `public/models/${id}/${f.path}`), all.subarray(at, (at += f.bytes)));
}
// --- end of the recipe ---

const modelBaseUrl = pathToFileURL(join(root, 'public/models/'));
const classifier = await load({ model: 'fmnist-resnet20', modelBaseUrl });
const detector = await load({ model: 'fmnist-scenes-centernet', modelBaseUrl });
const top = await classifier.classify(sample('fmnist-resnet20/bag.png'), { topK: 3 });
const boxes = await detector.detect(sample('fmnist-scenes-centernet/scene-0.png'));
// The classifier's int8 file as a user reads it: a Node Buffer, labels and preset given.
const { manifest } = await import('@resnet-edge/models/fmnist-resnet20');
const fromBuffer = await load({ model: readFileSync(join(root, 'public/models/fmnist-resnet20', manifest.files[0].path)), labels: manifest.labels, preprocess: 'fmnist' });
const topBuffer = await fromBuffer.classify(sample('fmnist-resnet20/bag.png'), { topK: 3 });
console.log(JSON.stringify({ classifier: classifier.backend, detector: detector.backend, buffer: fromBuffer.backend, top, boxes, topBuffer }));
await Promise.all([classifier.dispose(), detector.dispose(), fromBuffer.dispose()]);
