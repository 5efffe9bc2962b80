/**
 * Packages the detector: quantizes the fp32 export with the project's own quantizer (calibration: 256 scenes built from
 * Fashion-MNIST *training* items), evaluates fp32 and int8 through the SDK itself (load() + detect(), the manifest's
 * class-agnostic NMS) on the 500 fresh held-out scenes (t10k items, seed 5001), picks the default score threshold on a
 * separate validation set (--val, t10k items, seed 6001: max min(precision, recall)), and writes
 * models/<id>/{model.json, *.onnx, samples/}. eval-detector.ts measures every evaluation set afterwards.
 * With --refine (crop_classifier.py's fp32 export; default models/train/out/crop1/ when it exists) the package is a
 * two-stage detector: the crop classifier is quantized the same way (calibration: crops of the calibration scenes'
 * objects, the method picked by top-1 on those crops) and ships as the `refine` file of `detection.refine`.
 *
 * Usage (exact command used for the shipped package):
 *   node --import tsx models/train/package-detector.ts --id fmnist-scenes-centernet
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { evaluateDetections, load, precisionRecall, sha256Hex, type Detection, type DetectionSpec, type ModelManifest, type Tensor } from '../../packages/core/src/index.js';
import type { RefineSpec } from '../../packages/core/src/package/manifest-types.js';
import { cropBoxes } from '../../packages/core/src/tasks/refine.js';
import { formatSummary, quantize, type CalibrationMethod } from '../../packages/core/src/quantizer/index.js';
import { loadDetectionScenes, sceneRgba, type DetectionScenes } from '../../test/node/detect-fixture.js';

const arg = (n: string, d: string) => (process.argv.includes(`--${n}`) ? process.argv[process.argv.indexOf(`--${n}`) + 1] : d);
const id = arg('id', 'fmnist-scenes-centernet');
const OUT = 'models/train/out';
const fp32Path = arg('fp32', `${OUT}/${id}.fp32.onnx`);
const fp32 = new Uint8Array(readFileSync(fp32Path));
const calib = loadDetectionScenes(arg('calib', `${OUT}/scenes-calib-256`));
const heldoutPath = arg('heldout', `${OUT}/sets/fresh-500`);
const heldout = loadDetectionScenes(heldoutPath);
// The default score threshold is picked on a validation set of its own (t10k items, seed 6001: not an evaluation set).
const valPath = arg('val', `${OUT}/sets/val-500`);
const outDir = join('models', id);
const refinePath = arg('refine', `${OUT}/crop1/crop-classifier.fp32.onnx`);
const refineFp32 = existsSync(refinePath) && arg('refine', '') !== 'none' ? new Uint8Array(readFileSync(refinePath)) : undefined;
const refineLog = (() => {
  try {
    return JSON.parse(readFileSync(refinePath.replace(/\.fp32\.onnx$/, '.train.json'), 'utf8'));
  } catch {
    return undefined;
  }
})();
const S = heldout.width;
// The training run's record: train_detector.py writes <x>.train.json beside <x>.fp32.onnx; repackaging the shipped
// export (models/<id>/model.fp32.onnx, on a machine without the gitignored training outputs) uses the package's own
// train-log.json, which starts with that record.
const trainLogPath = [fp32Path.replace(/\.fp32\.onnx$/, '.train.json'), join(dirname(fp32Path), 'train-log.json')].find(
  (p) => p !== fp32Path && existsSync(p),
);
if (!trainLogPath) throw new Error(`no training record for ${fp32Path}: expected ${fp32Path.replace(/\.fp32\.onnx$/, '.train.json')}`);
const trainLog = JSON.parse(readFileSync(trainLogPath, 'utf8'));
// Backbone depth comes from the training run (train_detector.py --blocks), so the manifest names what was trained.
// Records written before --blocks existed (stage 5 and earlier) trained its default, 2,2,2,2; a record without the
// run's arguments at all says nothing, and the backbone is not guessed.
if (!trainLog.args) throw new Error(`${trainLogPath} has no "args" (train_detector.py's arguments): cannot tell the backbone`);
const blocks: string = trainLog.args.blocks ?? '2,2,2,2';
const backbone =
  blocks === '2,2,2,2' ? 'ResNet-18-style' : blocks === '3,4,6,3' ? 'ResNet-34-style' : `ResNet-style (${blocks} basic blocks per stage)`;

const input: ModelManifest['input'] = {
  name: 'input',
  shape: [-1, 1, S, S],
  layout: 'NCHW',
  channels: 'grayscale',
  // Other image sizes keep their aspect ratio; the padding is black like the scenes' dark backgrounds.
  resize: { mode: 'letterbox', filter: 'bilinear', padValue: 0 },
  scale: 255,
  mean: [0],
  std: [1],
};
const detection: DetectionSpec = {
  head: { format: 'centernet', heatmap: 'heatmap', size: 'size', offset: 'offset', stride: 4, sigmoid: true },
  scoreThreshold: 0.3,
  iouThreshold: 0.5,
  maxDetections: 100,
  // One box per object: per-class NMS leaves one box per candidate class on an object the model is unsure about.
  nms: 'class-agnostic',
  // Crop settings from the classifier's training run (crop_classifier.py), which the SDK's crop mirrors.
  ...(refineFp32
    ? { refine: { input: 'input', output: 'logits', size: refineLog?.r ?? 28, context: refineLog?.context ?? 1.2, minSide: refineLog?.min_side ?? 4, eps: refineLog?.eps ?? 0.02 } satisfies RefineSpec }
    : {}),
};
const entry = async (path: string, role: 'model' | 'model-fp32' | 'refine' | 'refine-fp32', b: Uint8Array) => ({ path, role, bytes: b.length, sha256: await sha256Hex(b) });
const join2 = (a: Uint8Array, b?: Uint8Array) => {
  if (!b) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};
const manifestFor = (files: ModelManifest['files'], quantization: ModelManifest['quantization']): ModelManifest => ({
  schemaVersion: 1,
  id,
  name: `CenterNet with a ${backbone} backbone (Fashion-MNIST scenes)`,
  description: `Anchor-free CenterNet detector, ${backbone} backbone with identity shortcuts, trained on synthetic scenes of real Fashion-MNIST items.`,
  task: 'detection',
  labels: heldout.labels,
  input,
  detection,
  quantization,
  files,
  license: 'MIT (weights trained by this repository on scenes built from Fashion-MNIST, MIT-licensed data)',
});

const toTensor = (sc: DetectionScenes, i: number): Tensor => ({
  dims: [1, 1, sc.height, sc.width],
  data: Float32Array.from(sc.pixels.subarray(i * sc.width * sc.height, (i + 1) * sc.width * sc.height), (v) => v / 255),
});

async function detectAll(bytes: Uint8Array, manifest: ModelManifest, backend: 'ort-wasm' | 'wasm', sc: DetectionScenes, n = sc.count) {
  const model = await load({ model: { manifest, bytes }, backend });
  const predictions: Detection[][] = [];
  try {
    // Threshold 0.05 for AP; the manifest's NMS mode (class-agnostic), IoU and maxDetections.
    for (let i = 0; i < n; i++) predictions.push(await model.detect(sceneRgba(sc, i), { scoreThreshold: 0.05 }));
  } finally {
    await model.dispose();
  }
  return predictions;
}

async function mapOf(bytes: Uint8Array, manifest: ModelManifest, backend: 'ort-wasm' | 'wasm', sc: DetectionScenes, n = sc.count) {
  const predictions = await detectAll(bytes, manifest, backend, sc, n);
  const m = evaluateDetections({ predictions, groundTruth: sc.groundTruth.slice(0, n) });
  const pr = precisionRecall({ predictions, groundTruth: sc.groundTruth.slice(0, n), scoreThreshold: detection.scoreThreshold });
  const r4 = (x: number) => +x.toFixed(4);
  return { map50: r4(m.map50), map: r4(m.map), precision: r4(pr.precision), recall: r4(pr.recall), boxesPerObject: r4(pr.boxesPerObject) };
}

// The second stage: quantized on crops of the calibration scenes' objects (training items), method by top-1 there.
let refineInt8: Uint8Array | undefined;
let refineQuantization: Record<string, unknown> | undefined;
if (refineFp32) {
  const spec = detection.refine!;
  const crops: Tensor[] = [];
  const truth: number[] = [];
  for (let i = 0; i < calib.count; i++) {
    const boxes = calib.groundTruth[i];
    if (!boxes.length) continue;
    const c = cropBoxes({ image: toTensor(calib, i), boxes: boxes.map((g) => g.box), spec });
    for (let k = 0; k < boxes.length; k++) {
      crops.push({ dims: [1, 1, spec.size, spec.size], data: c.data.slice(k * spec.size * spec.size, (k + 1) * spec.size * spec.size) });
      truth.push(calib.labels.indexOf(boxes[k].label));
    }
  }
  const top1 = async (bytes: Uint8Array) => {
    const manifest: ModelManifest = {
      schemaVersion: 1, id: `${id}-refine`, task: 'classification', labels: heldout.labels,
      input: { ...input, shape: [-1, 1, spec.size, spec.size], resize: { mode: 'stretch', filter: 'bilinear' } },
      output: { name: 'logits', kind: 'logits' }, quantization: { format: 'none' }, files: [await entry('refine.onnx', 'model', bytes)],
    };
    const m = await load({ model: { manifest, bytes }, backend: 'wasm' });
    const per = spec.size * spec.size;
    let ok = 0;
    try {
      for (let i = 0; i < crops.length; i += 64) {
        const n = Math.min(64, crops.length - i);
        const data = new Float32Array(n * per);
        for (let k = 0; k < n; k++) data.set(crops[i + k].data, k * per);
        const out = Object.values(await m.runTensor({ data, dims: [n, 1, spec.size, spec.size] }))[0].data;
        for (let k = 0; k < n; k++) {
          let best = 0;
          const c = heldout.labels.length;
          for (let j = 1; j < c; j++) if (out[k * c + j] > out[k * c + best]) best = j;
          if (best === truth[i + k]) ok++;
        }
      }
    } finally {
      await m.dispose();
    }
    return +(ok / crops.length).toFixed(4);
  };
  const picks: Record<string, number> = { fp32: await top1(refineFp32) };
  let bestR: { method: CalibrationMethod; bytes: Uint8Array; acc: number } | undefined;
  for (const method of ['minmax', 'percentile', 'mse'] as CalibrationMethod[]) {
    const res = await quantize({ model: refineFp32, calibration: crops, method });
    picks[method] = await top1(res.model);
    console.log(`[refine ${method}] calibration-crop top-1 ${picks[method]} (fp32 ${picks.fp32})`);
    if (!bestR || picks[method] > bestR.acc) bestR = { method, bytes: res.model, acc: picks[method] };
  }
  refineInt8 = bestR!.bytes;
  refineQuantization = { method: bestR!.method, crops: crops.length, top1OnCalibrationCrops: picks };
}

const fp32Manifest = manifestFor(
  [await entry('model.fp32.onnx', 'model', fp32), ...(refineFp32 ? [await entry('refine.fp32.onnx', 'refine', refineFp32)] : [])],
  { format: 'none' },
);
const fp32Bytes = join2(fp32, refineFp32);
// Selection of the calibration method on the calibration scenes themselves (training items): no held-out peeking.
const selection: Record<string, unknown> = {};
let best: { method: CalibrationMethod; bytes: Uint8Array; score: number; summary: string } | undefined;
for (const method of ['minmax', 'percentile', 'mse'] as CalibrationMethod[]) {
  const res = await quantize({ model: fp32, calibration: Array.from({ length: calib.count }, (_, i) => toTensor(calib, i)), method });
  const m = manifestFor([await entry('model.int8.onnx', 'model', res.model), ...(refineInt8 ? [await entry('refine.int8.onnx', 'refine', refineInt8)] : [])], { format: 'qdq' });
  const score = await mapOf(join2(res.model, refineInt8), m, 'ort-wasm', calib);
  selection[method] = score;
  console.log(`[${method}] calibration-set mAP@0.5 ${score.map50}, mAP@[.5:.95] ${score.map}`);
  if (!best || score.map > best.score) best = { method, bytes: res.model, score: score.map, summary: formatSummary(res.summary) };
}
const chosen = best!;
const int8Entry = await entry('model.int8.onnx', 'model', chosen.bytes);
const refineEntries = refineInt8 ? [await entry('refine.int8.onnx', 'refine', refineInt8), await entry('refine.fp32.onnx', 'refine-fp32', refineFp32!)] : [];
const int8Files = [int8Entry, ...refineEntries.slice(0, 1)];
const int8Bytes = join2(chosen.bytes, refineInt8);
const quantization: ModelManifest['quantization'] = {
  format: 'qdq',
  weights: 'int8, symmetric, per output channel; int32 bias',
  activations: 'uint8, asymmetric, per tensor',
  calibration: { method: chosen.method, samples: calib.count, ...(chosen.method === 'percentile' ? { percentile: 99.99 } : {}) },
  ...(refineQuantization ? { refine: refineQuantization } : {}),
};
// Default score threshold: the one that maximizes min(precision, recall) of the int8 model on the validation set
// (grid 0.100..0.600 step 0.025; ties go to the higher threshold). Without the set, 0.3.
let thresholdSelection: Record<string, unknown> | undefined;
let weightSelection: Record<string, number> | undefined;
if (existsSync(`${valPath}.json`)) {
  const val = loadDetectionScenes(valPath);
  let preds = await detectAll(int8Bytes, manifestFor(int8Files, quantization), 'wasm', val);
  if (detection.refine) {
    // How much the detector's own class scores count in the second stage: the weight with the best validation mAP@0.5.
    weightSelection = {};
    let best = { w: 0, map50: -1, preds };
    for (const w of [0, 0.5, 1, 1.5, 2, 3]) {
      detection.refine.detectorWeight = w;
      const p = await detectAll(int8Bytes, manifestFor(int8Files, quantization), 'wasm', val);
      const map50 = +evaluateDetections({ predictions: p, groundTruth: val.groundTruth }).map50.toFixed(4);
      weightSelection[String(w)] = map50;
      console.log(`[refine detectorWeight ${w}] validation mAP@0.5 ${map50}`);
      if (map50 > best.map50) best = { w, map50, preds: p };
    }
    detection.refine.detectorWeight = best.w;
    preds = best.preds;
  }
  let pick = { t: detection.scoreThreshold, worst: -1, precision: 0, recall: 0, boxesPerObject: 0 };
  for (let k = 0; k <= 20; k++) {
    const t = +(0.1 + 0.025 * k).toFixed(3);
    const pr = precisionRecall({ predictions: preds, groundTruth: val.groundTruth, scoreThreshold: t });
    const worst = Math.min(pr.precision, pr.recall);
    if (worst >= pick.worst) pick = { t, worst, precision: pr.precision, recall: pr.recall, boxesPerObject: pr.boxesPerObject };
  }
  detection.scoreThreshold = pick.t;
  const r4 = (x: number) => +x.toFixed(4);
  thresholdSelection = { set: valPath, scenes: val.count, rule: 'max min(precision, recall), grid 0.100..0.600 step 0.025', chosen: pick.t,
    ...(weightSelection ? { refineDetectorWeight: { rule: 'max validation mAP@0.5', chosen: detection.refine!.detectorWeight, map50: weightSelection } } : {}),
    precision: r4(pick.precision), recall: r4(pick.recall), boxesPerObject: r4(pick.boxesPerObject) };
  console.log(`[threshold] ${JSON.stringify(thresholdSelection)}`);
}
const f = await mapOf(fp32Bytes, fp32Manifest, 'ort-wasm', heldout);
const q = await mapOf(int8Bytes, manifestFor(int8Files, quantization), 'ort-wasm', heldout);
const qOwn = await mapOf(int8Bytes, manifestFor(int8Files, quantization), 'wasm', heldout);
const metrics = {
  heldOutScenes: heldout.count,
  heldOutSet: heldoutPath,
  fp32: f,
  int8: q,
  int8OwnWasmEngine: qOwn,
  int8DropPointsMap50: +((f.map50 - q.map50) * 100).toFixed(2),
  int8DropPointsMap: +((f.map - q.map) * 100).toFixed(2),
  measuredWith: `@resnet-edge/core load()+detect() in Node (score >= 0.05, class-agnostic NMS IoU 0.5, COCO 101-point AP; precision, recall, boxes per object at ${detection.scoreThreshold})`,
  calibrationSelection: selection,
  ...(thresholdSelection ? { thresholdSelection } : {}),
};
console.log(JSON.stringify(metrics, null, 1));

mkdirSync(join(outDir, 'samples'), { recursive: true });
writeFileSync(join(outDir, 'model.int8.onnx'), chosen.bytes);
writeFileSync(join(outDir, 'model.fp32.onnx'), fp32);
if (refineInt8) {
  writeFileSync(join(outDir, 'refine.int8.onnx'), refineInt8);
  writeFileSync(join(outDir, 'refine.fp32.onnx'), refineFp32!);
}
const manifest: ModelManifest = {
  ...manifestFor([int8Entry, ...refineEntries.slice(0, 1), await entry('model.fp32.onnx', 'model-fp32', fp32), ...refineEntries.slice(1)], quantization),
  metrics,
  provenance: {
    dataset: 'Synthetic scenes of real Fashion-MNIST items (Debian dataset-fashion-mnist), models/train/scenes.py',
    trainScript: 'models/train/train_detector.py',
    trainCommand: trainLog?.command,
    ...(refineFp32 ? { refineTrainScript: 'models/train/crop_classifier.py', refineTrainCommand: refineLog?.command } : {}),
    packageScript: 'models/train/package-detector.ts',
    packageCommand: `node --import tsx models/train/package-detector.ts ${process.argv.slice(2).join(' ')}`,
    heldOut: 'scenes.py --split t10k --count 500 --seed 5001 (fresh-500); shifted sets: seeds 5002-5005, --preset bright|textured|small|dense',
    calibration: 'scenes.py --split train --count 256 --seed 99',
  },
};
writeFileSync(join(outDir, 'model.json'), `${JSON.stringify(manifest, null, 2)}\n`);
for (let i = 0; i < 4; i++) {
  const img = sceneRgba(heldout, i);
  writeFileSync(join(outDir, 'samples', `scene-${i}.png`), encodePng({ width: img.width, height: img.height, data: img.data as Uint8Array, channels: 4 }));
}
writeFileSync(`${OUT}/${id}.package.json`, JSON.stringify({ metrics, summary: chosen.summary }, null, 1));
console.log(chosen.summary);
