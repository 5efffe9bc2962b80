import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cropBoxes, relabel } from './refine.js';

const dir = new URL('../../test-fixtures/detection/', import.meta.url);

describe('cropBoxes', () => {
  it('matches the training crop (models/train/crop_classifier.py) on a committed scene: inside, past the edge, tiny', () => {
    const fx = JSON.parse(readFileSync(new URL('refine-crops.json', dir), 'utf8')) as {
      r: number; context: number; minSide: number; eps: number; boxes: number[][]; crops: number[][];
    };
    const pixels = gunzipSync(readFileSync(new URL('fresh-200.u8.gz', dir))).subarray(0, 96 * 96);
    const image = { data: Float32Array.from(pixels, (v) => v / 255), dims: [1, 1, 96, 96] };
    const boxes = fx.boxes.map(([xmin, ymin, xmax, ymax]) => ({ xmin, ymin, xmax, ymax }));
    const crops = cropBoxes({ image, boxes, spec: { size: fx.r, context: fx.context, minSide: fx.minSide, eps: fx.eps } });
    expect(crops.dims).toEqual([5, 1, 28, 28]);
    let worst = 0;
    fx.crops.forEach((want, b) => want.forEach((v, i) => (worst = Math.max(worst, Math.abs(crops.data[b * 784 + i] - v)))));
    // The fixture is rounded to 1e-5; anything beyond that would be a different crop.
    expect(worst).toBeLessThan(2e-5);
  });

  it('standardises each crop (mean 0, std ~1) whatever the background level', () => {
    const data = new Float32Array(32 * 32).map((_, i) => 0.7 + ((i % 32) > 16 ? 0.2 : 0));
    const [c] = [cropBoxes({ image: { data, dims: [1, 1, 32, 32] }, boxes: [{ xmin: 8, ymin: 8, xmax: 24, ymax: 24 }], spec: { size: 8, context: 1.2, minSide: 4, eps: 0.02 } })];
    const mean = c.data.reduce((a, b) => a + b, 0) / c.data.length;
    const std = Math.sqrt(c.data.reduce((a, b) => a + (b - mean) ** 2, 0) / c.data.length);
    expect(Math.abs(mean)).toBeLessThan(1e-6);
    expect(std).toBeGreaterThan(0.8);
    expect(std).toBeLessThan(1);
  });

  it('gives all-zero crops for a flat image (no division blow-up)', () => {
    const c = cropBoxes({ image: { data: new Float32Array(16 * 16).fill(0.5), dims: [1, 1, 16, 16] }, boxes: [{ xmin: 0, ymin: 0, xmax: 4, ymax: 4 }], spec: { size: 4, context: 1, minSide: 4, eps: 0.02 } });
    expect([...c.data].every((v) => v === 0)).toBe(true);
  });
});

describe('relabel', () => {
  const box = { xmin: 0, ymin: 0, xmax: 10, ymax: 10 };
  const candidates = [
    { box, score: 0.9, classIndex: 0 },
    { box, score: 0.5, classIndex: 1 },
  ];

  it("takes the classifier's best class and scores detector confidence x its probability, best first", () => {
    const logits = { data: new Float32Array([0, 0, 5, /* row 2 */ 4, 0, 0]), dims: [2, 3] };
    const out = relabel({ candidates, logits, numClasses: 3, scoreThreshold: 0 });
    const p = Math.exp(5) / (Math.exp(5) + 2);
    expect(out.map((d) => d.classIndex)).toEqual([2, 0]);
    expect(out[0].score).toBeCloseTo(0.9 * p, 6);
    expect(out[1].score).toBeCloseTo(0.5 * (Math.exp(4) / (Math.exp(4) + 2)), 6);
  });

  it("weighs in the detector's class scores with detectorWeight (and ignores them at 0 or when absent)", () => {
    // Classifier: class 2 (p ~0.58) over class 0 (~0.21); detector: class 0 at 0.8, class 2 at 0.1.
    const logits = { data: new Float32Array([1, 0, 2]), dims: [1, 3] };
    const cand = [{ box, score: 0.8, classIndex: 0, classScores: Float32Array.of(0.8, 0.1, 0.1) }];
    expect(relabel({ candidates: cand, logits, numClasses: 3, scoreThreshold: 0 })[0].classIndex).toBe(2);
    expect(relabel({ candidates: cand, logits, numClasses: 3, scoreThreshold: 0, detectorWeight: 0 })[0].classIndex).toBe(2);
    const both = relabel({ candidates: cand, logits, numClasses: 3, scoreThreshold: 0, detectorWeight: 1 })[0];
    const q = [Math.E * 0.8, 1 * 0.1, Math.E ** 2 * 0.1];
    expect(both.classIndex).toBe(0);
    expect(both.score).toBeCloseTo(0.8 * (q[0] / (q[0] + q[1] + q[2])), 6);
    const noScores = relabel({ candidates: [{ box, score: 0.8, classIndex: 0 }], logits, numClasses: 3, scoreThreshold: 0, detectorWeight: 1 });
    expect(noScores[0].classIndex).toBe(2);
  });

  it('drops boxes that fall below the threshold', () => {
    const logits = { data: new Float32Array([0, 0, 0, 0, 0, 0]), dims: [2, 3] };
    expect(relabel({ candidates, logits, numClasses: 3, scoreThreshold: 0.2 }).map((d) => +d.score.toFixed(6))).toEqual([0.3]);
  });

  it('rejects logits of the wrong size with INFERENCE_FAILED', () => {
    expect(() => relabel({ candidates, logits: { data: new Float32Array(5), dims: [1, 5] }, numClasses: 3, scoreThreshold: 0 })).toThrowError(
      expect.objectContaining({ code: 'INFERENCE_FAILED' }),
    );
  });
});
