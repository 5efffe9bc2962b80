// Plain Node ESM, no configuration: the built-in classifier and detector by id, on the shipped sample images.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { load } from '@resnet-edge/core';

const require = createRequire(import.meta.url);
const sample = (path) => readFileSync(require.resolve(`@resnet-edge/models/samples/${path}`));

const classifier = await load({ model: 'fmnist-resnet20' });
const top = await classifier.classify(sample('fmnist-resnet20/bag.png'), { topK: 3 });
const detector = await load({ model: 'fmnist-scenes-centernet' });
const boxes = await detector.detect(sample('fmnist-scenes-centernet/scene-0.png'));
console.log(JSON.stringify({ classifier: classifier.backend, top, detector: detector.backend, boxes }));
await classifier.dispose();
await detector.dispose();
