import { describe, expect, it } from 'vitest';
import { evaluateDetections, precisionRecall } from './map.js';

const box = (xmin: number, ymin: number, xmax: number, ymax: number) => ({ xmin, ymin, xmax, ymax });

describe('evaluateDetections', () => {
  it('scores perfect detections as 1 at every threshold', () => {
    const gt = [[{ label: 'a', box: box(0, 0, 10, 10) }, { label: 'b', box: box(20, 20, 30, 40) }], [{ label: 'a', box: box(5, 5, 9, 9) }]];
    const preds = gt.map((objs) => objs.map((o) => ({ ...o, score: 0.9 })));
    const m = evaluateDetections({ predictions: preds, groundTruth: gt });
    expect(m.map50).toBe(1);
    expect(m.map).toBe(1);
    expect(m.perClass.a.gtCount).toBe(2);
    expect(m.iouThresholds).toEqual([0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]);
  });

  it('computes 101-point interpolated AP for TP, FP, TP', () => {
    // precision 1, 1/2, 2/3 at recall 1/2, 1/2, 1 -> envelope 1 up to recall 0.5 (51 points), 2/3 after (50 points).
    const gt = [[{ label: 'a', box: box(0, 0, 10, 10) }, { label: 'a', box: box(50, 50, 60, 60) }]];
    const preds = [[
      { label: 'a', score: 0.9, box: box(0, 0, 10, 10) },
      { label: 'a', score: 0.8, box: box(80, 80, 90, 90) },
      { label: 'a', score: 0.7, box: box(50, 50, 60, 60) },
    ]];
    const m = evaluateDetections({ predictions: preds, groundTruth: gt, iouThresholds: [0.5] });
    expect(m.map50).toBeCloseTo((51 + 50 * (2 / 3)) / 101, 12);
  });

  it('caps AP at the recall reached and counts duplicates as false positives', () => {
    const gt = [[{ label: 'a', box: box(0, 0, 10, 10) }, { label: 'a', box: box(50, 50, 60, 60) }]];
    const found = [{ label: 'a', score: 0.9, box: box(0, 0, 10, 10) }];
    expect(evaluateDetections({ predictions: [found], groundTruth: gt }).map50).toBeCloseTo(51 / 101, 12);
    // A duplicate of an already matched box ranked above the second true positive lowers precision there.
    const dup = [...found, { label: 'a', score: 0.8, box: box(0, 0, 10, 10) }, { label: 'a', score: 0.7, box: box(50, 50, 60, 60) }];
    expect(evaluateDetections({ predictions: [dup], groundTruth: gt }).map50).toBeCloseTo((51 + 50 * (2 / 3)) / 101, 12);
  });

  it('averages over IoU thresholds (IoU 0.6 matches at 0.50, 0.55, 0.60 only)', () => {
    const gt = [[{ label: 'a', box: box(0, 0, 10, 10) }]];
    const m = evaluateDetections({ predictions: [[{ label: 'a', score: 1, box: box(0, 0, 10, 6) }]], groundTruth: gt });
    expect(m.perClass.a.ap).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(m.map50).toBe(1);
    expect(m.map).toBeCloseTo(0.3, 12);
  });

  it('averages over classes with ground truth only; a wrong label is a miss and its class is ignored', () => {
    const gt = [[{ label: 'a', box: box(0, 0, 10, 10) }, { label: 'b', box: box(20, 0, 30, 10) }]];
    const preds = [[
      { label: 'a', score: 0.9, box: box(0, 0, 10, 10) },
      { label: 'c', score: 0.8, box: box(20, 0, 30, 10) }, // class c has no ground truth
    ]];
    const m = evaluateDetections({ predictions: preds, groundTruth: gt, iouThresholds: [0.5] });
    expect(Object.keys(m.perClass).sort()).toEqual(['a', 'b']);
    expect(m.perClass.b.ap).toEqual([0]);
    expect(m.map50).toBe(0.5);
  });

  it('matches each detection to the unmatched box it overlaps most, across images by score', () => {
    const gt = [[{ label: 'a', box: box(0, 0, 10, 10) }, { label: 'a', box: box(4, 0, 14, 10) }], [{ label: 'a', box: box(0, 0, 4, 4) }]];
    const preds = [
      // Overlaps GT 1 most (IoU 0.67 vs 0.43): takes it, leaving GT 0 for the second detection.
      [{ label: 'a', score: 0.9, box: box(3, 0, 13, 10) }, { label: 'a', score: 0.5, box: box(0, 0, 10, 10) }],
      [{ label: 'a', score: 0.6, box: box(40, 40, 44, 44) }], // FP ranked between them
    ];
    const m = evaluateDetections({ predictions: preds, groundTruth: gt, iouThresholds: [0.5] });
    // Sorted: TP (0.9), FP (0.6), TP (0.5); 3 GT. precision 1, .5, .667; recall 1/3, 1/3, 2/3.
    // Recall points 0..0.33 (34 points) -> 1; 0.34..0.66 (33 points) -> 2/3; above 2/3 -> 0.
    expect(m.map50).toBeCloseTo((34 + 33 * (2 / 3)) / 101, 12);
  });

  it('handles no predictions and rejects mismatched inputs', () => {
    const gt = [[{ label: 'a', box: box(0, 0, 1, 1) }]];
    expect(evaluateDetections({ predictions: [[]], groundTruth: gt }).map50).toBe(0);
    expect(Number.isNaN(evaluateDetections({ predictions: [[]], groundTruth: [[]] }).map50)).toBe(true);
    expect(() => evaluateDetections({ predictions: [], groundTruth: gt })).toThrowError(/same length/);
    expect(() => evaluateDetections({ predictions: [[]], groundTruth: gt, iouThresholds: [1.2] })).toThrowError(/iouThresholds/);
  });
});

describe('precisionRecall', () => {
  const gt = [
    [{ label: 'a', box: box(0, 0, 10, 10) }, { label: 'b', box: box(20, 0, 30, 10) }],
    [{ label: 'a', box: box(0, 0, 10, 10) }],
  ];
  // Image 0: 'a' found (0.9), a duplicate 'a' on it (0.8, FP), 'b' labelled 'a' (0.7, FP: wrong label), 'b' found
  // at IoU 2/3 (0.4). Image 1: 'a' at IoU 0.25 (0.6, FP), nothing else.
  const preds = [
    [
      { label: 'a', score: 0.9, box: box(0, 0, 10, 10) },
      { label: 'a', score: 0.8, box: box(0, 0, 10, 10) },
      { label: 'a', score: 0.7, box: box(20, 0, 30, 10) },
      { label: 'b', score: 0.4, box: box(20, 0, 30, 6.6666666667) },
    ],
    [{ label: 'a', score: 0.6, box: box(0, 0, 5, 5) }],
  ];

  it('counts matches, duplicates and wrong labels by hand-computed figures', () => {
    expect(precisionRecall({ predictions: preds, groundTruth: gt })).toEqual({
      precision: 2 / 5,
      recall: 2 / 3,
      boxesPerObject: 5 / 3,
      boxes: 5,
      objects: 3,
      matched: 2,
    });
  });

  it('applies scoreThreshold and iouThreshold', () => {
    // >= 0.5: boxes 0.9, 0.8, 0.7, 0.6; only the first matches.
    expect(precisionRecall({ predictions: preds, groundTruth: gt, scoreThreshold: 0.5 })).toMatchObject({ precision: 1 / 4, recall: 1 / 3, boxesPerObject: 4 / 3 });
    // IoU 0.7 needed: the 'b' box (IoU 2/3) no longer matches.
    expect(precisionRecall({ predictions: preds, groundTruth: gt, iouThreshold: 0.7 })).toMatchObject({ matched: 1 });
    expect(precisionRecall({ predictions: preds, groundTruth: gt, iouThreshold: 0.2 })).toMatchObject({ matched: 3 });
  });

  it('handles empty input and rejects mismatched arrays', () => {
    expect(precisionRecall({ predictions: [[]], groundTruth: [[]] })).toEqual({ precision: 1, recall: 1, boxesPerObject: 0, boxes: 0, objects: 0, matched: 0 });
    expect(() => precisionRecall({ predictions: [], groundTruth: gt })).toThrowError(/same length/);
    expect(() => precisionRecall({ predictions: [[]], groundTruth: [[]], iouThreshold: 2 })).toThrowError(/iouThreshold/);
  });
});
