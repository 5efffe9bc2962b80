// Accuracy of the shipped int8 default model, measured through the public SDK on a fixed 1,000-image test subset.
import { describe, expect, it } from 'vitest';
import { load } from '../../packages/core/src/index.js';
import { fmnistRgba, loadFmnistTest } from './fmnist.js';

describe('fmnist-resnet20 int8 accuracy (Node)', () => {
  for (const backend of ['wasm', 'ort-wasm'] as const) {
    it(`top-1 >= 92% on test images 0..999 (${backend})`, async () => {
      const { images, labels } = loadFmnistTest();
      const model = await load({ model: 'fmnist-resnet20', backend });
      let correct = 0;
      const n = 1000;
      try {
        for (let i = 0; i < n; i++) {
          const [top] = await model.classify(fmnistRgba(images, i), { topK: 1 });
          if (top.label === model.manifest.labels[labels[i]]) correct++;
        }
      } finally {
        await model.dispose();
      }
      const acc = correct / n;
      console.log(`[accuracy] ${backend}: ${(acc * 100).toFixed(1)}% on ${n} images`);
      expect(acc).toBeGreaterThanOrEqual(0.92);
    });
  }
});
