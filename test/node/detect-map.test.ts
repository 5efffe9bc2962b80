// mAP of the shipped int8 detector (fmnist-scenes-centernet), measured through the public SDK on the committed
// 200 held-out scenes (t10k Fashion-MNIST items; models/train/scenes.py seed 1234).
import { describe, expect, it } from 'vitest';
import { load } from '../../packages/core/src/index.js';
import { evaluateDetections } from '../../packages/core/src/tasks/map.js';
import { loadDetectionScenes, sceneRgba } from './detect-fixture.js';

// Issue #7 targets mAP@0.5 >= 0.85 (int8) / 0.90; the shipped model does not reach that yet: int8 scores 0.842 mAP@0.5
// and 0.645 mAP@[.5:.95] on these 200 scenes (0.829 / 0.629 on all 500; see models/fmnist-scenes-centernet/README.md).
// The floors below guard against regressions (broken quantization, decoding or preprocessing).
const MIN_MAP50 = 0.8;
const MIN_MAP = 0.6;

describe('fmnist-scenes-centernet int8 mAP (Node)', () => {
  for (const backend of ['wasm', 'ort-wasm'] as const) {
    it(`mAP@0.5 >= ${MIN_MAP50} on 200 held-out scenes (${backend})`, async () => {
      const scenes = loadDetectionScenes();
      const model = await load({ model: 'fmnist-scenes-centernet', backend });
      const predictions = [];
      try {
        expect(model.manifest.labels).toEqual(scenes.labels);
        for (let i = 0; i < scenes.count; i++) {
          // A low threshold: AP integrates over the whole precision/recall curve.
          predictions.push(await model.detect(sceneRgba(scenes, i), { scoreThreshold: 0.05, iouThreshold: 0.5, maxDetections: 100 }));
        }
      } finally {
        await model.dispose();
      }
      const m = evaluateDetections({ predictions, groundTruth: scenes.groundTruth });
      console.log(`[detect-map] ${backend}: mAP@0.5 ${m.map50.toFixed(4)}, mAP@[.5:.95] ${m.map.toFixed(4)} on ${scenes.count} scenes`);
      expect(m.map50).toBeGreaterThanOrEqual(MIN_MAP50);
      expect(m.map).toBeGreaterThanOrEqual(MIN_MAP);
    });
  }
});
