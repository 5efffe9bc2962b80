// Loads a model package written by `resnet-edge quantize` (a model.json path on the command line) and classifies.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { load } from '@resnet-edge/core';

const require = createRequire(import.meta.url);
const model = await load({ model: pathToFileURL(process.argv[2]) });
const top = await model.classify(readFileSync(require.resolve('@resnet-edge/models/samples/fmnist-resnet20/bag.png')), { topK: 1 });
console.log(JSON.stringify({ id: model.manifest.id, backend: model.backend, top }));
