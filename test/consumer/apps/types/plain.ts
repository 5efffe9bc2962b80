// Type-checks against the published declarations with no DOM and no Node types (lib ES2022 only).
import { load, ResNetEdgeError, type Classification, type Detection, type LoadOptions } from '@resnet-edge/core';
import { decodeModel, validateManifest, type ModelManifest } from '@resnet-edge/core/model';
import { quantize } from '@resnet-edge/core/quantize';
import { ModelStore, type ModelSnapshot } from '@resnet-edge/core/web-worker';
import { bytes, manifest } from '@resnet-edge/models/fmnist-resnet20';

export async function classifyBytes(image: Uint8Array): Promise<Classification[]> {
  const options: LoadOptions = { model: 'fmnist-resnet20', backend: 'wasm', numThreads: 2 };
  const model = await load(options);
  try {
    return await model.classify(image, { topK: 3 });
  } catch (e) {
    if (e instanceof ResNetEdgeError && e.code === 'IMAGE_DECODE_FAILED') return [];
    throw e;
  } finally {
    await model.dispose();
  }
}

export async function detectBytes(image: ArrayBuffer): Promise<Detection[]> {
  const detector = await load('fmnist-scenes-centernet', { backend: 'auto' });
  const boxes = await detector.detect(image, { scoreThreshold: 0.3 });
  return boxes.map((b) => ({ ...b, box: { ...b.box, xmax: Math.round(b.box.xmax) } }));
}

export async function inMemory(): Promise<string> {
  const model = await load({ model: { manifest, bytes: await bytes() } });
  const m: ModelManifest = validateManifest(manifest);
  decodeModel(await bytes());
  return `${model.backend} ${m.id} ${typeof quantize} ${typeof ModelStore}`;
}

export const idle = (s: ModelSnapshot): boolean => s.status === 'idle';

// The declarations are real types, not `any`: each of these must be an error.
export async function misuse(image: Uint8Array): Promise<void> {
  // @ts-expect-error: backend names are a closed set
  await load({ model: 'fmnist-resnet20', backend: 'cuda' });
  const model = await load({ model: 'fmnist-resnet20' });
  // @ts-expect-error: topK is a number
  await model.classify(image, { topK: 'three' });
  // @ts-expect-error: error codes are a closed set
  new ResNetEdgeError('NOT_A_CODE', 'x');
}
