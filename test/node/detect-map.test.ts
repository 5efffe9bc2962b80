// mAP of the shipped int8 detector (fmnist-scenes-centernet), measured through the public SDK on the committed
// 200 held-out scenes (t10k Fashion-MNIST items; models/train/scenes.py seed 1234).
import { describe, expect, it } from 'vitest';
import { load } from '../../packages/core/src/index.js';
import { evaluateDetections } from '../../packages/core/src/tasks/map.js';
import { loadDetectionScenes, sceneRgba } from './detect-fixture.js';

// Issue #7: this test asserts mAP@0.5 >= 0.85 on the 200 committed held-out scenes (0.853 measured, both engines; the
// engines are deterministic). The model's own target (0.90 on all 500 scenes) is not met yet: 0.840 there.
const MIN_MAP50 = 0.85;
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
          predictions.push(await model.detect(sceneRgba(scenes, i), { scoreThreshold: 0.05, iouThreshold: 0.5, maxDetections: 100, nms: 'per-class' }));
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
