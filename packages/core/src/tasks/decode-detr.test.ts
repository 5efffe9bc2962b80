import { describe, expect, it } from 'vitest';
import { decodeDetr } from './decode-detr.js';

const t = (data: number[], dims: number[]) => ({ data: Float32Array.from(data), dims });

describe('decodeDetr (logits [N,Q,C+1] with "no object" last, pred_boxes normalized cx,cy,w,h)', () => {
  // Query 0: class 1 wins; query 1: "no object" dominates; query 2: a tie between class 0 and 1 (first wins).
  const logits = t([0, Math.log(3), 0, /**/ 0, 0, 5, /**/ 1, 1, 0], [1, 3, 3]);
  const boxes = t([0.5, 0.5, 0.2, 0.4, /**/ 0.1, 0.1, 0.1, 0.1, /**/ 0.25, 0.75, 0.5, 0.5], [1, 3, 4]);

  it('score = softmax probability of the best real class; box scaled to input pixels', () => {
    const got = decodeDetr({ logits, boxes, inputWidth: 200, inputHeight: 100 });
    expect(got).toHaveLength(3);
    // exp: [1, 3, 1] / 5 -> class 1 at 0.6
    const near = (box: Record<string, number>) => Object.fromEntries(Object.entries(box).map(([k, v]) => [k, expect.closeTo(v, 4)]));
    expect(got[0]).toEqual({ box: near({ xmin: 80, ymin: 30, xmax: 120, ymax: 70 }), score: expect.closeTo(0.6, 6), classIndex: 1 });
    expect(got[1].score).toBeCloseTo(1 / (2 + Math.exp(5)), 6);
    expect(got[2]).toEqual({ classIndex: 0, score: expect.closeTo(Math.E / (2 * Math.E + 1), 6), box: near({ xmin: 0, ymin: 50, xmax: 100, ymax: 100 }) });
  });

  it('threshold drops no-object queries; bad shapes are INFERENCE_FAILED', () => {
    expect(decodeDetr({ logits, boxes, inputWidth: 10, inputHeight: 10, scoreThreshold: 0.5 }).map((c) => c.classIndex)).toEqual([1]);
    expect(() => decodeDetr({ logits, boxes: t([0, 0, 0, 0], [1, 1, 4]), inputWidth: 10, inputHeight: 10 })).toThrow(expect.objectContaining({ code: 'INFERENCE_FAILED' }));
    expect(() => decodeDetr({ logits: t([1, 2], [1, 2, 1]), boxes: t([0, 0, 0, 0, 0, 0, 0, 0], [1, 2, 4]), inputWidth: 10, inputHeight: 10 })).toThrow(/no object/);
  });
});
