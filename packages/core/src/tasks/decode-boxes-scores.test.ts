import { describe, expect, it } from 'vitest';
import { ResNetEdgeError } from '../errors.js';
import { decodeBoxesScores } from './decode-boxes-scores.js';

const t = (data: number[], dims: number[]) => ({ data: Float32Array.from(data), dims });

describe('decodeBoxesScores', () => {
  const scores = t([0.1, 0.7, 0.2, /* box 2 */ 0.5, 0.4, 0.45], [1, 2, 3]);

  it('decodes xyxy pixels with the best class per box', () => {
    const out = decodeBoxesScores({
      boxes: t([10, 20, 30, 60, /* swapped corners are reordered */ 50, 50, 40, 45], [1, 2, 4]),
      scores,
      boxFormat: 'xyxy',
      normalized: false,
      inputWidth: 100,
      inputHeight: 100,
    });
    expect(out).toEqual([
      { box: { xmin: 10, ymin: 20, xmax: 30, ymax: 60 }, score: expect.closeTo(0.7, 6), classIndex: 1 },
      { box: { xmin: 40, ymin: 45, xmax: 50, ymax: 50 }, score: expect.closeTo(0.5, 6), classIndex: 0 },
    ]);
  });

  it('decodes normalized xywh and cxcywh to input pixels', () => {
    const common = { scores, normalized: true, inputWidth: 200, inputHeight: 100 } as const;
    const xywh = decodeBoxesScores({ ...common, boxes: t([0.1, 0.2, 0.3, 0.4, 0, 0, 1, 1], [1, 2, 4]), boxFormat: 'xywh' });
    expect(xywh[0].box).toEqual({ xmin: expect.closeTo(20, 4), ymin: expect.closeTo(20, 4), xmax: expect.closeTo(80, 4), ymax: expect.closeTo(60, 4) });
    expect(xywh[1].box).toEqual({ xmin: 0, ymin: 0, xmax: 200, ymax: 100 });
    const cxcywh = decodeBoxesScores({ ...common, boxes: t([0.5, 0.5, 0.5, 0.2, 0.25, 0.25, 0.5, 0.5], [1, 2, 4]), boxFormat: 'cxcywh' });
    expect(cxcywh[0].box).toEqual({ xmin: 50, ymin: expect.closeTo(40, 4), xmax: 150, ymax: expect.closeTo(60, 4) });
    expect(cxcywh[1].box).toEqual({ xmin: 0, ymin: 0, xmax: 100, ymax: 50 });
  });

  it('emits one candidate per class above threshold with multiLabel', () => {
    const out = decodeBoxesScores({
      boxes: t([0, 0, 1, 1, 2, 2, 3, 3], [1, 2, 4]),
      scores,
      boxFormat: 'xyxy',
      normalized: false,
      inputWidth: 10,
      inputHeight: 10,
      multiLabel: true,
      scoreThreshold: 0.3,
    });
    expect(out.map((d) => [d.classIndex, +d.score.toFixed(2)])).toEqual([[1, 0.7], [0, 0.5], [1, 0.4], [2, 0.45]]);
  });

  it('accepts [N,K] scores with a classes tensor and a batch index', () => {
    const out = decodeBoxesScores({
      boxes: t([0, 0, 1, 1, /* batch 1 */ 5, 5, 9, 9], [2, 1, 4]),
      scores: t([0.9, 0.6], [2, 1]),
      classes: t([3, 7], [2, 1]),
      boxFormat: 'xyxy',
      normalized: false,
      inputWidth: 10,
      inputHeight: 10,
      batchIndex: 1,
    });
    expect(out).toEqual([{ box: { xmin: 5, ymin: 5, xmax: 9, ymax: 9 }, score: expect.closeTo(0.6, 6), classIndex: 7 }]);
  });

  it('skips non-finite boxes and low scores', () => {
    const out = decodeBoxesScores({
      boxes: t([Number.NaN, 0, 1, 1, 0, 0, 1, 1], [1, 2, 4]),
      scores: t([0.9, 0.9, 0.9, 0.01, 0.02, 0.03], [1, 2, 3]),
      boxFormat: 'xyxy',
      normalized: false,
      inputWidth: 10,
      inputHeight: 10,
    });
    expect(out).toEqual([]);
  });

  it('rejects mismatched shapes and unknown formats', () => {
    const base = { scores, normalized: false, inputWidth: 10, inputHeight: 10 } as const;
    expect(() => decodeBoxesScores({ ...base, boxes: t([0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1], [1, 3, 4]), boxFormat: 'xyxy' })).toThrowError(ResNetEdgeError);
    expect(() => decodeBoxesScores({ ...base, boxes: t([0, 0, 1], [1, 1, 3]), boxFormat: 'xyxy' })).toThrowError(/shape/);
    expect(() => decodeBoxesScores({ ...base, boxes: t([0, 0, 1, 1, 0, 0, 1, 1], [1, 2, 4]), boxFormat: 'yxyx' as never })).toThrowError(/boxFormat/);
  });
});
