// onnxruntime-web installed: the ORT backend works with no configuration in Node.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { load } from '@resnet-edge/core';

const require = createRequire(import.meta.url);
const model = await load({ model: 'fmnist-resnet20', backend: 'ort-wasm' });
const top = await model.classify(readFileSync(require.resolve('@resnet-edge/models/samples/fmnist-resnet20/bag.png')), { topK: 1 });
console.log(JSON.stringify({ backend: model.backend, top }));
