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
// regression in the model, the engines, the decoder or the NMS default shows up. Issue 18's targets for a retrained
// model (fresh: mAP@0.5 >= 0.90, precision and recall >= 0.90; shifted: mAP@0.5 >= 0.85) are NOT met by the shipped
// model yet (fresh-200 0.815, bright-100 0.750, textured-100 0.788; the model before the augmented retrain had 0.812,
// 0.612, 0.762); the log line prints both so the gap stays visible.
const FLOOR: Record<string, { map50: number; precision?: number; recall?: number; maxBoxesPerObject?: number }> = {
  'fresh-200': { map50: 0.8, precision: 0.82, recall: 0.83, maxBoxesPerObject: 1.05 },
  'bright-100': { map50: 0.73 },
  'textured-100': { map50: 0.77 },
};
const TARGET = { fresh: 0.9, shifted: 0.85 };

async function detectAll(backend: 'wasm' | 'ort-wasm', sets: string[]) {
  const model = await load({ model: 'fmnist-scenes-centernet', backend });
  const out: Record<string, { dets: Detection[][]; threshold: number }> = {};
  try {
    expect(model.manifest.detection?.nms).toBe('class-agnostic');
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
    for (const name of sets) {
      const a = results.wasm[name].dets;
      const b = results['ort-wasm'][name].dets;
      expect(a.map((d) => d.map((x) => x.label))).toEqual(b.map((d) => d.map((x) => x.label)));
      a.forEach((img, i) =>
        img.forEach((d, j) => {
          expect(d.score).toBeCloseTo(b[i][j].score, 5);
          for (const k of ['xmin', 'ymin', 'xmax', 'ymax'] as const) expect(d.box[k]).toBeCloseTo(b[i][j].box[k], 3);
        }),
      );
    }
  });
});
