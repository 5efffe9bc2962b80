/**
 * Detection quality of a detector package, measured through the SDK itself (load() + detect(), both CPU engines):
 * per scene set, per model file (int8 and fp32) and per NMS mode, COCO-style mAP@0.5 and mAP@[.5:.95]
 * (evaluateDetections) and what a user sees at the manifest's default score threshold (precisionRecall: precision,
 * recall, boxes per object). Prints one JSON line per measurement; `--dump DIR` also writes every detection list so
 * models/train/coco_check.py can score the very same detections with pycocotools.
 *
 * Usage:
 *   npx tsx models/train/eval-detector.ts [--dir models/fmnist-scenes-centernet] \
 *     [--sets models/train/out/sets/fresh-500,...] [--backends wasm,ort-wasm] [--files int8,fp32] [--dump DIR]
 * Sets default to the five evaluation sets in models/train/out/sets (models/train/README-detector.md says how to
 * build them) when present, else the committed fixtures in packages/core/test-fixtures/detection.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateDetections, load, precisionRecall, type Detection, type ModelManifest, type NmsMode } from '../../packages/core/src/index.js';
import { loadDetectionScenes, sceneRgba, type DetectionScenes } from '../../test/node/detect-fixture.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
};

const SET_NAMES = ['fresh-500', 'bright-500', 'textured-500', 'small-500', 'dense-500'];
const fullSets = SET_NAMES.map((n) => join(root, 'models/train/out/sets', n));
const fixtureDir = join(root, 'packages/core/test-fixtures/detection');
const defaultSets = fullSets.every((p) => existsSync(`${p}.json`))
  ? fullSets
  : ['fresh-200', 'shifted-200'].map((n) => join(fixtureDir, n)).filter((p) => existsSync(`${p}.json`));
const sets = arg('sets', defaultSets.join(',')).split(',');
const dir = resolve(arg('dir', join(root, 'models/fmnist-scenes-centernet')));
const backends = arg('backends', 'wasm,ort-wasm').split(',') as ('wasm' | 'ort-wasm')[];
const files = arg('files', 'int8,fp32').split(',');
const dump = process.argv.includes('--dump') ? resolve(arg('dump', 'models/train/out/eval')) : undefined;
const MODES: NmsMode[] = ['class-agnostic', 'per-class'];

const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelManifest;
const spec = manifest.detection!;

/**
 * The package's manifest with only the chosen files (fp32: the `model-fp32` file, and `refine-fp32` for a two-stage
 * package, unquantized); bytes as load({ manifest, bytes }) takes them: the model, then the refine classifier.
 */
function variant(kind: string): { manifest: ModelManifest; bytes: Uint8Array } {
  const file = manifest.files.find((f) => (kind === 'fp32' ? f.role === 'model-fp32' : f.role === 'model'))!;
  const refine = spec.refine ? manifest.files.find((f) => (kind === 'fp32' ? f.role === 'refine-fp32' : f.role === 'refine')) : undefined;
  const parts = [file, ...(refine ? [refine] : [])].map((f) => readFileSync(join(dir, f.path)));
  const bytes = new Uint8Array(Buffer.concat(parts));
  const m: ModelManifest = {
    ...manifest,
    files: [{ ...file, role: 'model' }, ...(refine ? [{ ...refine, role: 'refine' as const }] : [])],
    ...(kind === 'fp32' ? { quantization: { format: 'none' } } : {}),
  };
  return { manifest: m, bytes };
}

function score(scenes: DetectionScenes, predictions: Detection[][]) {
  const m = evaluateDetections({ predictions, groundTruth: scenes.groundTruth });
  const pr = precisionRecall({ predictions, groundTruth: scenes.groundTruth, scoreThreshold: spec.scoreThreshold });
  const r4 = (x: number) => +x.toFixed(4);
  return {
    // Unrounded, for the pycocotools comparison (coco_check.py).
    exact: { map50: m.map50, map50_95: m.map },
    map50: r4(m.map50),
    map50_95: r4(m.map),
    [`at${spec.scoreThreshold}`]: { precision: r4(pr.precision), recall: r4(pr.recall), boxesPerObject: r4(pr.boxesPerObject) },
    ap50PerClass: Object.fromEntries(Object.entries(m.perClass).map(([k, v]) => [k, r4(v.ap[0])])),
  };
}

async function main() {
  if (dump) mkdirSync(dump, { recursive: true });
  for (const prefix of sets) {
    const scenes = loadDetectionScenes(prefix);
    const set = basename(prefix);
    const objects = scenes.groundTruth.reduce((a, g) => a + g.length, 0);
    console.log(JSON.stringify({ set, path: prefix, scenes: scenes.count, objects }));
    for (const kind of files) {
      for (const backend of kind === 'fp32' ? (['ort-wasm'] as const) : backends) {
        const model = await load({ model: variant(kind), backend });
        try {
          for (const nms of MODES) {
            const predictions: Detection[][] = [];
            const t0 = performance.now();
            // A low threshold: AP integrates the whole precision/recall curve; precisionRecall applies the default.
            for (let i = 0; i < scenes.count; i++) {
              predictions.push(await model.detect(sceneRgba(scenes, i), { scoreThreshold: 0.05, iouThreshold: spec.iouThreshold, maxDetections: 100, nms }));
            }
            const ms = (performance.now() - t0) / scenes.count;
            const { exact, ...metrics } = score(scenes, predictions);
            console.log(JSON.stringify({ set, model: kind, backend, nms, ...metrics, msPerScene: +ms.toFixed(2) }));
            if (dump) writeFileSync(join(dump, `${set}.${kind}.${backend}.${nms}.json`), JSON.stringify({ set: prefix, model: kind, backend, nms, metrics: { ...metrics, ...exact }, predictions }));
          }
        } finally {
          await model.dispose();
        }
      }
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
