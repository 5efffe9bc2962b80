/**
 * fp32 vs int8 detection quality of fmnist-scenes-centernet on the held-out scenes, via onnxruntime-node and the
 * SDK's own decoding/NMS/mAP (packages/core/src/tasks). Prints mAP@0.5 and mAP@[.5:.95] per model as JSON lines.
 *
 * Usage:
 *   npx tsx models/train/eval-detector.ts [--scenes models/train/out/scenes-heldout-500] \
 *     [--fp32 models/train/out/fmnist-scenes-centernet.fp32.onnx] [--manifest models/fmnist-scenes-centernet/model.json]
 * The scene set defaults to the full 500-scene split when scenes.py has written it, else the committed 200-scene fixture.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import type { DetectionHead, ModelManifest } from '../../packages/core/src/package/manifest-types.js';
import { toDetections } from '../../packages/core/src/tasks/detect.js';
import { evaluateDetections } from '../../packages/core/src/tasks/map.js';
import type { Tensor } from '../../packages/core/src/tensor.js';
import { DETECTION_FIXTURE, loadDetectionScenes, type DetectionScenes } from '../../test/node/detect-fixture.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
};

const fullSplit = join(root, 'models/train/out/scenes-heldout-500');
const scenesPrefix = arg('scenes', existsSync(`${fullSplit}.json`) ? fullSplit : DETECTION_FIXTURE);
const fp32Path = arg('fp32', join(root, 'models/train/out/fmnist-scenes-centernet.fp32.onnx'));
const manifestPath = arg('manifest', join(root, 'models/fmnist-scenes-centernet/model.json'));

interface Norm {
  scale: number;
  mean: number;
  std: number;
}

/** The training script's head and normalisation (x / 255), used for the fp32 model when no manifest says otherwise. */
const TRAIN_HEAD: DetectionHead = { format: 'centernet', heatmap: 'heatmap', size: 'size', offset: 'offset', stride: 4, sigmoid: true };
const TRAIN_NORM: Norm = { scale: 255, mean: 0, std: 1 };

async function evaluate(name: string, modelPath: string, head: DetectionHead, norm: Norm, scenes: DetectionScenes) {
  const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1 });
  const inputName = session.inputNames[0];
  const { width: w, height: h } = scenes;
  const transform = { scaleX: 1, scaleY: 1, offsetX: 0, offsetY: 0, srcWidth: w, srcHeight: h };
  const predictions = [];
  const t0 = performance.now();
  for (let i = 0; i < scenes.count; i++) {
    const x = new Float32Array(w * h);
    for (let p = 0; p < w * h; p++) x[p] = (scenes.pixels[i * w * h + p] / norm.scale - norm.mean) / norm.std;
    const res = await session.run({ [inputName]: new ort.Tensor('float32', x, [1, 1, h, w]) });
    const outputs: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(res)) outputs[k] = { data: v.data as Float32Array, dims: v.dims };
    predictions.push(
      toDetections({ outputs, head, labels: scenes.labels, inputWidth: w, inputHeight: h, transform, scoreThreshold: 0.05, iouThreshold: 0.5, maxDetections: 100, nms: 'per-class' }),
    );
  }
  const ms = (performance.now() - t0) / scenes.count;
  await session.release();
  const m = evaluateDetections({ predictions, groundTruth: scenes.groundTruth });
  const perClass = Object.fromEntries(Object.entries(m.perClass).map(([k, v]) => [k, +v.ap[0].toFixed(4)]));
  console.log(JSON.stringify({ model: name, path: modelPath, scenes: scenes.count, map50: +m.map50.toFixed(4), map50_95: +m.map.toFixed(4), msPerScene: +ms.toFixed(2), ap50PerClass: perClass }));
}

async function main() {
  const scenes = loadDetectionScenes(scenesPrefix);
  console.log(JSON.stringify({ scenes: scenesPrefix, count: scenes.count }));
  if (existsSync(fp32Path)) await evaluate('fp32', fp32Path, TRAIN_HEAD, TRAIN_NORM, scenes);
  else console.log(JSON.stringify({ model: 'fp32', missing: fp32Path }));
  if (!existsSync(manifestPath)) {
    console.log(JSON.stringify({ model: 'int8', missing: manifestPath }));
    return;
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as ModelManifest;
  const file = manifest.files.find((f) => f.role === 'model');
  if (!file || !manifest.detection) throw new Error(`${manifestPath} has no model file or detection head`);
  const inp = manifest.input;
  if (inp.shape[2] !== scenes.height || inp.shape[3] !== scenes.width) throw new Error('Scene size differs from the model input; resize is not handled here.');
  await evaluate('int8', join(dirname(manifestPath), file.path), manifest.detection.head, { scale: inp.scale, mean: inp.mean[0], std: inp.std[0] }, scenes);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
