/**
 * Where the two-stage detector's class-agnostic mAP@0.5 is lost: ranking or labels. Runs the packaged int8 model
 * through the SDK (own WASM engine) and records, per scene, what the second stage sees (the first stage's kept
 * candidates: box, confidence, per-class heatmap scores) and the classifier's logits. On those it recomputes the
 * shipped result (it must equal what detect() returns) and then:
 * - score variants: confidence^alpha x p^beta (beta 0.5-3), x (p1 - p2), no detector weight;
 * - oracle ranking: the same boxes and labels, every correctly labelled box scored above every wrong one (the most
 *   any re-scoring could give with this classifier);
 * - true labels: every box matched to an object (IoU >= 0.5) takes that object's label (the most any classifier could
 *   give with these boxes);
 * - label-accuracy sweep: a fixed random fraction f of the wrongly labelled boxes takes its object's label (score
 *   unchanged), which models a better classifier; per f it prints the label accuracy of the boxes at the manifest's
 *   threshold, mAP@0.5 and precision / recall there, so the classifier accuracy a target needs is measured, not guessed.
 *
 * Usage:
 *   npx tsx models/train/second-stage-bounds.ts [--dir models/fmnist-scenes-centernet] [--sets models/train/out/sets/val-500,...]
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { boxIou, evaluateDetections, load, nms, precisionRecall, type Detection, type ModelManifest, type Tensor } from '../../packages/core/src/index.js';
import { Refiner } from '../../packages/core/src/runtime/refiner.js';
import type { ScoredBox } from '../../packages/core/src/tasks/detect-types.js';
import { classProbabilities } from '../../packages/core/src/tasks/refine.js';
import { loadDetectionScenes, sceneRgba } from '../../test/node/detect-fixture.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
};
const dir = arg('dir', 'models/fmnist-scenes-centernet');
const sets = arg('sets', ['val-500', 'fresh-500', 'bright-500', 'textured-500', 'small-500', 'dense-500'].map((s) => `models/train/out/sets/${s}`).join(',')).split(',');

const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelManifest;
const spec = manifest.detection!;
const weight = spec.refine?.detectorWeight ?? 0;
if (!spec.refine) throw new Error(`${dir} is not a two-stage detector`);
const files = ['model', 'refine'].map((role) => manifest.files.find((f) => f.role === role)!);
const bytes = new Uint8Array(Buffer.concat(files.map((f) => readFileSync(join(dir, f.path)))));

type Seen = { box: ScoredBox['box']; score: number; h?: Float32Array; logits: Float32Array };
let seen: Seen[] | undefined;
// Measurement hooks on the Refiner's public methods, not behaviour changes: relabel() is what detect() calls with
// the first stage's candidates, classify() the classifier run it makes for them.
const proto = Refiner.prototype;
const relabel = proto.relabel;
const classify = proto.classify;
let logits: Tensor<Float32Array> | undefined;
proto.classify = async function (this: Refiner, o) {
  logits = await classify.call(this, o);
  return logits;
};
proto.relabel = async function (this: Refiner, o) {
  logits = undefined;
  const result = await relabel.call(this, o);
  // Set by classify() during the call above (TS cannot see that).
  const rows = logits as Tensor<Float32Array> | undefined;
  const n = rows ? rows.dims[1] : 0;
  seen = o.candidates.map((c, i) => ({ box: c.box, score: c.score, h: c.classScores, logits: rows!.data.slice(i * n, (i + 1) * n) }));
  return result;
};

type Variant = { name: string; a: number; score: (conf: number, p: number[], best: number) => number };
const variants: Variant[] = [
  { name: 'shipped: conf x p', a: weight, score: (c, p, b) => c * p[b] },
  ...[0.5, 2, 3].map((beta) => ({ name: `conf x p^${beta}`, a: weight, score: (c: number, p: number[], b: number) => c * p[b] ** beta })),
  { name: 'p only', a: weight, score: (_c: number, p: number[], b: number) => p[b] },
  { name: 'conf x p x (p1 - p2)', a: weight, score: (c, p, b) => c * p[b] * (p[b] - Math.max(...p.filter((_, j) => j !== b))) },
  { name: 'conf x p, no detector weight', a: 0, score: (c, p, b) => c * p[b] },
];

function decide(scene: Seen[], v: Variant): ScoredBox[] {
  const boxes = scene.map((s) => {
    const p = Array.from(classProbabilities({ logits: s.logits, classScores: s.h, detectorWeight: v.a }));
    const best = p.indexOf(Math.max(...p));
    return { box: s.box, score: v.score(s.score, p, best), classIndex: best };
  });
  // As detect() at threshold 0.05: the threshold applies before the second NMS.
  return nms({ boxes: boxes.filter((b) => b.score >= 0.05), iouThreshold: spec.iouThreshold, maxDetections: 100, mode: 'class-agnostic' });
}

const model = await load({ model: { manifest: { ...manifest, files }, bytes }, backend: 'wasm' });
try {
  for (const prefix of sets) {
    const sc = loadDetectionScenes(prefix);
    const scenes: Seen[][] = [];
    const shipped: Detection[][] = [];
    for (let i = 0; i < sc.count; i++) {
      seen = undefined;
      shipped.push(await model.detect(sceneRgba(sc, i), { scoreThreshold: 0.05, maxDetections: 100, nms: 'class-agnostic' }));
      scenes.push(seen ?? []);
    }
    const map = (p: Detection[][]) => +evaluateDetections({ predictions: p, groundTruth: sc.groundTruth }).map50.toFixed(4);
    const asDets = (b: ScoredBox[], label = (k: ScoredBox) => manifest.labels[k.classIndex], score = (k: ScoredBox) => k.score) =>
      b.map((k) => ({ label: label(k), score: score(k), box: k.box }));
    const row: Record<string, number> = { 'detect()': map(shipped) };
    for (const v of variants) row[v.name] = map(scenes.map((s) => asDets(decide(s, v))));
    const base = scenes.map((s) => decide(s, variants[0]));
    const matched = (k: ScoredBox, gts: typeof sc.groundTruth[number]) => {
      let best = -1;
      let iou = 0.5;
      gts.forEach((g, j) => {
        const u = boxIou(g.box, k.box);
        if (u >= iou) [best, iou] = [j, u];
      });
      return best;
    };
    row['oracle ranking'] = map(base.map((b, i) => asDets(b, undefined, (k) => {
      const g = matched(k, sc.groundTruth[i]);
      return k.score + (g >= 0 && sc.groundTruth[i][g].label === manifest.labels[k.classIndex] ? 10 : 0);
    })));
    row['true labels'] = map(base.map((b, i) => asDets(b, (k) => {
      const g = matched(k, sc.groundTruth[i]);
      return g >= 0 ? sc.groundTruth[i][g].label : manifest.labels[k.classIndex];
    })));
    console.log(JSON.stringify({ set: basename(prefix), map50: row }));
    // Which wrong labels a "better classifier" fixes: a hash of (scene, box), so every f fixes a superset of the last.
    const u = (i: number, j: number) => (Math.imul(i * 7919 + j * 104729 + 1, 2654435761) >>> 0) / 2 ** 32;
    const sweep = [0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map((f) => {
      let right = 0;
      let labelled = 0;
      const dets = base.map((b, i) => b.map((k, j) => {
        const g = matched(k, sc.groundTruth[i]);
        const truth = g >= 0 ? sc.groundTruth[i][g].label : undefined;
        const own = manifest.labels[k.classIndex];
        const label = truth !== undefined && own !== truth && u(i, j) < f ? truth : own;
        if (truth !== undefined && k.score >= spec.scoreThreshold) {
          labelled++;
          if (label === truth) right++;
        }
        return { label, score: k.score, box: k.box };
      }));
      const pr = precisionRecall({ predictions: dets, groundTruth: sc.groundTruth, scoreThreshold: spec.scoreThreshold });
      return { f, labelAccuracy: +(right / labelled).toFixed(4), map50: map(dets), precision: +pr.precision.toFixed(4), recall: +pr.recall.toFixed(4) };
    });
    console.log(JSON.stringify({ set: basename(prefix), sweep }));
  }
} finally {
  await model.dispose();
}
