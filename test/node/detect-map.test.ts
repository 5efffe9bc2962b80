// Quality of the shipped int8 detector (fmnist-scenes-centernet) as a user gets it: load() + detect() with the
// manifest's defaults (class-agnostic NMS), on committed scenes of Fashion-MNIST *test* items (models/train/scenes.py):
// fresh-200 (seed 5001, first 200 of the fresh-500 evaluation set) and two shifted-background sets, bright-100
// (seed 5002, --preset bright) and textured-100 (seed 5003, --preset textured). Both CPU engines must give the same
// detections. Figures measured on these scenes are in models/fmnist-scenes-centernet/README.md.
import { describe, expect, it } from 'vitest';
import { load } from '../../packages/core/src/index.js';
import { evaluateDetections, precisionRecall } from '../../packages/core/src/tasks/map.js';
import type { Detection } from '../../packages/core/src/tasks/detect-types.js';
import { FIXTURE_DIR, loadDetectionScenes, sceneRgba } from './detect-fixture.js';

// Floors a little under the shipped model's measured figures (models/fmnist-scenes-centernet/README.md), so a
// regression in the model, the engines, the decoder, the second stage or the NMS default shows up. The shipped model is
// two-stage (CenterNet + a crop classifier that re-labels each box, detection.refine); on these sets it measures fresh-200
// 0.870 (P 0.880, R 0.878 at 0.25), bright-100 0.774, textured-100 0.849 (second stage after 3 cycles: 0.864, 0.764,
// 0.838; one-stage before: 0.815, 0.750, 0.788).
// Issue 18's targets (fresh: mAP@0.5 >= 0.90, precision and recall >= 0.90; shifted: mAP@0.5 >= 0.85) are NOT met yet;
// the log line prints both so the gap stays visible.
const FLOOR: Record<string, { map50: number; precision?: number; recall?: number; maxBoxesPerObject?: number }> = {
  'fresh-200': { map50: 0.855, precision: 0.87, recall: 0.865, maxBoxesPerObject: 1.05 },
  'bright-100': { map50: 0.76 },
  'textured-100': { map50: 0.835 },
};
const TARGET = { fresh: 0.9, shifted: 0.85 };

async function detectAll(backend: 'wasm' | 'ort-wasm', sets: string[]) {
  const model = await load({ model: 'fmnist-scenes-centernet', backend });
  const out: Record<string, { dets: Detection[][]; threshold: number }> = {};
  try {
    expect(model.manifest.detection?.nms).toBe('class-agnostic');
    expect(model.manifest.detection?.refine).toBeDefined();
    for (const name of sets) {
      const scenes = loadDetectionScenes(`${FIXTURE_DIR}/${name}`);
      expect(model.manifest.labels).toEqual(scenes.labels);
      const dets: Detection[][] = [];
      // A low threshold: AP integrates the whole precision/recall curve; NMS mode, IoU and maxDetections are the defaults.
      for (let i = 0; i < scenes.count; i++) dets.push(await model.detect(sceneRgba(scenes, i), { scoreThreshold: 0.05 }));
      out[name] = { dets, threshold: model.manifest.detection!.scoreThreshold };
    }
  } finally {
    await model.dispose();
  }
  return out;
}

describe('fmnist-scenes-centernet int8 quality with the default class-agnostic NMS (Node)', () => {
  const sets = ['fresh-200', 'bright-100', 'textured-100'];
  const results: Record<string, Awaited<ReturnType<typeof detectAll>>> = {};

  for (const backend of ['wasm', 'ort-wasm'] as const) {
    it(`fresh-200: mAP@0.5, precision/recall and boxes per object at the default threshold; shifted sets (${backend})`, async () => {
      const r = (results[backend] = await detectAll(backend, sets));
      for (const name of sets) {
        const gt = loadDetectionScenes(`${FIXTURE_DIR}/${name}`).groundTruth;
        const m = evaluateDetections({ predictions: r[name].dets, groundTruth: gt });
        const pr = precisionRecall({ predictions: r[name].dets, groundTruth: gt, scoreThreshold: r[name].threshold });
        console.log(
          `[detect-map] ${backend} ${name}: mAP@0.5 ${m.map50.toFixed(4)}, mAP@[.5:.95] ${m.map.toFixed(4)}; at ${r[name].threshold}: ` +
            `precision ${pr.precision.toFixed(4)}, recall ${pr.recall.toFixed(4)}, boxes/object ${pr.boxesPerObject.toFixed(4)}`,
        );
        const f = FLOOR[name];
        console.log(`[detect-map]   floor ${f.map50}, issue target ${name === 'fresh-200' ? TARGET.fresh : TARGET.shifted}`);
        expect(m.map50).toBeGreaterThanOrEqual(f.map50);
        if (f.precision !== undefined) expect(pr.precision).toBeGreaterThanOrEqual(f.precision);
        if (f.recall !== undefined) expect(pr.recall).toBeGreaterThanOrEqual(f.recall);
        if (f.maxBoxesPerObject !== undefined) expect(pr.boxesPerObject).toBeLessThanOrEqual(f.maxBoxesPerObject);
      }
    });
  }

  it('both engines give the same detections', () => {
    expect(Object.keys(results)).toEqual(['wasm', 'ort-wasm']);
    // The second stage's float classifier head (Gemm on dequantized features) may differ in the last bits between the
    // engines, so boxes with tied detector scores may come out in either order: compare each image's detections in a
    // canonical order, scores to 1e-5.
    const canon = (dets: Detection[]) =>
      dets
        .map((d) => ({ label: d.label, score: +d.score.toFixed(5), box: Object.values(d.box).map((v) => +v.toFixed(3)) }))
        .sort((p, q) => q.score - p.score || p.label.localeCompare(q.label) || p.box[0] - q.box[0] || p.box[1] - q.box[1]);
    for (const name of sets) {
      const a = results.wasm[name].dets;
      const b = results['ort-wasm'][name].dets;
      expect(a.length).toBe(b.length);
      a.forEach((img, i) => {
        const [x, y] = [canon(img), canon(b[i])];
        expect(x.map((d) => d.label)).toEqual(y.map((d) => d.label));
        x.forEach((d, j) => {
          expect(Math.abs(d.score - y[j].score)).toBeLessThanOrEqual(2e-5);
          d.box.forEach((v, k) => expect(Math.abs(v - y[j].box[k])).toBeLessThanOrEqual(2e-3));
        });
      });
    }
  });
});
