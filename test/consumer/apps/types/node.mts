// Node ESM consumer (moduleResolution node16, @types/node): file input, progress, errors.
import { readFile } from 'node:fs/promises';
import { load, BUILTIN_MODELS, ModelLoadError } from '@resnet-edge/core';

const model = await load({
  model: 'fmnist-resnet20',
  onProgress: ({ loaded, total }) => console.log(loaded, total),
  signal: AbortSignal.timeout(10_000),
  ort: { wasmPaths: 'https://cdn.example.com/ort/' },
});
const top = await model.classify(await readFile('shoe.png'), { topK: 5 });
console.log(top[0]?.label, BUILTIN_MODELS.length, new ModelLoadError('UNKNOWN_MODEL', 'x').code);
