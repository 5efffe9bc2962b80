/**
 * Packages the default classifier: quantizes the fp32 export with the project's own quantizer, evaluates fp32 and int8
 * through the SDK itself on all 10,000 Fashion-MNIST test images, and writes models/<id>/{model.json, *.onnx, samples/, README.md}.
 *
 * Usage (exact command used for the shipped package):
 *   node --import tsx models/train/package-classifier.ts --fp32 models/train/out/fmnist-resnet20.fp32.onnx \
 *     --train-json models/train/out/fmnist-resnet20.train.json --id fmnist-resnet20
 *
 * Calibration uses 1,024 *training* images (never test images); the calibration method is chosen among minmax / percentile
 * / mse by int8 accuracy on 2,000 other training images, so the test set is only used for the reported numbers.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { encode as encodePng } from 'fast-png';
import { load, sha256Hex, type ModelManifest, type Tensor } from '../../packages/core/src/index.js';
import { preprocess } from '../../packages/core/src/image/preprocess.js';
import { quantize, formatSummary, readIdx as parseIdx } from '../../packages/core/src/quantizer/index.js';
import type { CalibrationMethod } from '../../packages/core/src/quantizer/index.js';

const args = Object.fromEntries(
  process.argv.slice(2).reduce<string[][]>((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const id = args.id ?? 'fmnist-resnet20';
const fp32Path = args.fp32 ?? `models/train/out/${id}.fp32.onnx`;
const trainJson = JSON.parse(readFileSync(args['train-json'] ?? `models/train/out/${id}.train.json`, 'utf8'));
const outDir = join('models', id);
const DATA = process.env.FMNIST_DIR ?? '/usr/share/datasets/fashion-mnist';

const readIdx = (name: string) => parseIdx(new Uint8Array(gunzipSync(readFileSync(join(DATA, name)))));
const rgba = (images: Uint8Array, i: number) => {
  const data = new Uint8Array(784 * 4);
  for (let p = 0; p < 784; p++) data.fill(images[i * 784 + p], p * 4, p * 4 + 3), (data[p * 4 + 3] = 255);
  return { width: 28, height: 28, data };
};

const labels: string[] = trainJson.labels;
const input: ModelManifest['input'] = {
  name: 'input',
  shape: [-1, 1, 28, 28],
  layout: 'NCHW',
  channels: 'grayscale',
  resize: { mode: 'stretch', filter: 'bilinear' },
  scale: 255,
  mean: [trainJson.mean],
  std: [trainJson.std],
};
const train = readIdx('train-images-idx3-ubyte.gz');
const trainLabels = readIdx('train-labels-idx1-ubyte.gz').data;
const test = readIdx('t10k-images-idx3-ubyte.gz');
const testLabels = readIdx('t10k-labels-idx1-ubyte.gz').data;
const tensorOf = (images: Uint8Array, i: number): Tensor => preprocess({ image: rgba(images, i), input }).tensor;

// Deterministic split of training indices: calibration = every 53rd image (1,024 of them), selection = every 29th not in calibration.
const calibIdx = Array.from({ length: 1024 }, (_, k) => (k * 53) % 60000);
const calibSet = new Set(calibIdx);
const selectIdx = Array.from({ length: 2400 }, (_, k) => (k * 29 + 7) % 60000).filter((i) => !calibSet.has(i)).slice(0, 2000);

function manifestFor(files: ModelManifest['files'], quantization: ModelManifest['quantization']): ModelManifest {
  return {
    schemaVersion: 1,
    id,
    name: 'ResNet-20 (Fashion-MNIST)',
    description: 'CIFAR-style ResNet-20 (He et al. 2015, sec. 4.2) trained on Fashion-MNIST, int8 QDQ by resnet-edge.',
    task: 'classification',
    labels,
    input,
    output: { name: 'logits', kind: 'logits' },
    quantization,
    files,
    license: 'MIT (weights trained by this repository on Fashion-MNIST, MIT-licensed data)',
  };
}

async function accuracy(bytes: Uint8Array, manifest: ModelManifest, images: Uint8Array, gold: Uint8Array, idx: number[]) {
  const model = await load({ model: { manifest, bytes }, backend: 'ort-wasm' });
  let correct = 0;
  const preds = new Int32Array(idx.length);
  try {
    for (let k = 0; k < idx.length; k++) {
      const [top] = await model.classify(rgba(images, idx[k]), { topK: 1 });
      preds[k] = labels.indexOf(top.label);
      if (preds[k] === gold[idx[k]]) correct++;
    }
  } finally {
    await model.dispose();
  }
  return { acc: correct / idx.length, preds };
}

const fp32 = new Uint8Array(readFileSync(fp32Path));
const fileEntry = async (path: string, role: 'model' | 'model-fp32', bytes: Uint8Array) => ({ path, role, bytes: bytes.length, sha256: await sha256Hex(bytes) });
const fp32Manifest = manifestFor([await fileEntry('model.fp32.onnx', 'model', fp32)], { format: 'none' });

const candidates: CalibrationMethod[] = ['minmax', 'percentile', 'mse'];
let best: { method: CalibrationMethod; model: Uint8Array; acc: number; summary: string; info: unknown } | undefined;
const selection: Record<string, number> = {};
for (const method of candidates) {
  const t0 = Date.now();
  const res = await quantize({
    model: fp32,
    calibration: calibIdx.map((i) => tensorOf(train.data, i)),
    method,
    onProgress: (d, t) => process.stderr.write(`\r[${method}] calibrating ${d}/${t}`),
  });
  process.stderr.write('\n');
  const m = manifestFor([await fileEntry('model.int8.onnx', 'model', res.model)], { format: 'qdq' });
  const { acc } = await accuracy(res.model, m, train.data, trainLabels, selectIdx);
  selection[method] = acc;
  console.log(`[${method}] selection accuracy ${(acc * 100).toFixed(2)}% (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  if (!best || acc > best.acc) best = { method, model: res.model, acc, summary: formatSummary(res.summary), info: res.info };
}
const chosen = best!;

const int8Files = [await fileEntry('model.int8.onnx', 'model', chosen.model), await fileEntry('model.fp32.onnx', 'model-fp32', fp32)];
const int8Manifest = manifestFor(int8Files, {
  format: 'qdq',
  weights: 'int8, symmetric, per output channel; int32 bias',
  activations: 'uint8, asymmetric, per tensor',
  calibration: { method: chosen.method, samples: calibIdx.length, ...(chosen.method === 'percentile' ? { percentile: 99.99 } : {}) },
});

const all = Array.from({ length: 10000 }, (_, i) => i);
const f = await accuracy(fp32, fp32Manifest, test.data, testLabels, all);
const q = await accuracy(chosen.model, manifestFor([int8Files[0]], int8Manifest.quantization), test.data, testLabels, all);
let agree = 0;
for (let i = 0; i < all.length; i++) if (f.preds[i] === q.preds[i]) agree++;
const metrics = {
  testImages: 10000,
  fp32Top1: +(f.acc * 100).toFixed(2),
  int8Top1: +(q.acc * 100).toFixed(2),
  int8DropPoints: +((f.acc - q.acc) * 100).toFixed(2),
  int8Fp32Agreement: +((agree / all.length) * 100).toFixed(2),
  measuredWith: '@resnet-edge/core load()+classify() in Node, onnxruntime-web wasm backend',
  calibrationSelection: selection,
};
console.log(metrics);

mkdirSync(join(outDir, 'samples'), { recursive: true });
writeFileSync(join(outDir, 'model.int8.onnx'), chosen.model);
writeFileSync(join(outDir, 'model.fp32.onnx'), fp32);
const manifest: ModelManifest = {
  ...int8Manifest,
  metrics,
  provenance: {
    dataset: 'Fashion-MNIST (Debian package dataset-fashion-mnist, /usr/share/datasets/fashion-mnist)',
    trainScript: 'models/train/train_classifier.py',
    trainCommand: trainJson.command,
    packageScript: 'models/train/package-classifier.ts',
    packageCommand: `node --import tsx models/train/package-classifier.ts ${process.argv.slice(2).join(' ')}`,
    torch: trainJson.torch,
    epochs: trainJson.epochs,
    seed: trainJson.seed,
    fp32Top1Torch: trainJson.fp32_test_top1_torch,
  },
};
writeFileSync(join(outDir, 'model.json'), `${JSON.stringify(manifest, null, 2)}\n`);

// One sample per class (first test image of each), at native 28x28 and upscaled 4x to exercise resizing.
for (let c = 0; c < 10; c++) {
  const i = Array.from(testLabels).indexOf(c);
  const slug = labels[c].toLowerCase().replace(/[^a-z]+/g, '-');
  const img = rgba(test.data, i);
  writeFileSync(join(outDir, 'samples', `${slug}.png`), encodePng({ width: 28, height: 28, data: img.data, channels: 4 }));
  const big = new Uint8Array(112 * 112 * 4);
  for (let y = 0; y < 112; y++) for (let x = 0; x < 112; x++) big.set(img.data.subarray(((y >> 2) * 28 + (x >> 2)) * 4, ((y >> 2) * 28 + (x >> 2)) * 4 + 4), (y * 112 + x) * 4);
  writeFileSync(join(outDir, 'samples', `${slug}-112.png`), encodePng({ width: 112, height: 112, data: big, channels: 4 }));
}
writeFileSync(join('models/train/out', `${id}.package.json`), JSON.stringify({ metrics, info: chosen.info, summary: chosen.summary }, null, 1));
console.log(chosen.summary);
