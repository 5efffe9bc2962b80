import { describe, expect, it } from 'vitest';
import { ResNetEdgeError } from '../errors.js';
import { checkNumber, checkScoreThreshold } from './detect-limits.js';
import { boxIou, nms } from './nms.js';
import type { ScoredBox } from './detect-types.js';

const sb = (xmin: number, ymin: number, xmax: number, ymax: number, score: number, classIndex = 0): ScoredBox => ({
  box: { xmin, ymin, xmax, ymax },
  score,
  classIndex,
});

describe('boxIou', () => {
  it('matches hand-computed values', () => {
    expect(boxIou({ xmin: 0, ymin: 0, xmax: 2, ymax: 2 }, { xmin: 1, ymin: 0, xmax: 3, ymax: 2 })).toBeCloseTo(1 / 3, 12);
    expect(boxIou({ xmin: 0, ymin: 0, xmax: 10, ymax: 10 }, { xmin: 0, ymin: 0, xmax: 10, ymax: 6 })).toBeCloseTo(0.6, 12);
    expect(boxIou({ xmin: 0, ymin: 0, xmax: 1, ymax: 1 }, { xmin: 1, ymin: 0, xmax: 2, ymax: 1 })).toBe(0); // touching
    expect(boxIou({ xmin: 0, ymin: 0, xmax: 0, ymax: 0 }, { xmin: 0, ymin: 0, xmax: 0, ymax: 0 })).toBe(0); // empty
  });
});

describe('nms', () => {
  // A and B overlap with IoU 0.6; C is B's box with another class.
  const A = sb(0, 0, 10, 10, 0.9, 0);
  const B = sb(0, 0, 10, 6, 0.8, 0);
  const C = sb(0, 0, 10, 6, 0.7, 1);

  it('suppresses only within a class by default', () => {
    expect(nms({ boxes: [C, B, A], iouThreshold: 0.5 })).toEqual([A, C]);
  });

  it("suppresses across classes with mode 'class-agnostic'", () => {
    expect(nms({ boxes: [C, B, A], iouThreshold: 0.5, mode: 'class-agnostic' })).toEqual([A]);
    expect(nms({ boxes: [C, B, A], iouThreshold: 0.5, mode: 'per-class' })).toEqual([A, C]);
  });

  it('class-agnostic: the best class of each object survives, other objects keep their boxes', () => {
    // Two objects, each with a box per candidate class. Object 1 at x 0..10: class 2 (0.6) beats class 6 (0.5) and a
    // shifted class-2 box (IoU 9/11 = 0.82). Object 2 at x 20..30 (IoU 0 with object 1): class 0 (0.55) beats class 6 (0.4).
    const o1a = sb(0, 0, 10, 10, 0.6, 2);
    const o1b = sb(0, 0, 10, 10, 0.5, 6);
    const o1c = sb(1, 0, 11, 10, 0.45, 2);
    const o2a = sb(20, 0, 30, 10, 0.55, 0);
    const o2b = sb(20, 1, 30, 11, 0.4, 6); // IoU 9/11 with o2a
    const all = [o2b, o1c, o1b, o2a, o1a];
    expect(nms({ boxes: all, iouThreshold: 0.5, mode: 'class-agnostic' })).toEqual([o1a, o2a]);
    // Per class: o1c is o1a's same-class duplicate and goes; the other-class boxes stay (4 boxes for 2 objects).
    expect(nms({ boxes: all, iouThreshold: 0.5, mode: 'per-class' })).toEqual([o1a, o2a, o1b, o2b]);
    // maxDetections counts kept boxes, after suppression: the second object, not object 1's duplicate.
    expect(nms({ boxes: all, iouThreshold: 0.5, mode: 'class-agnostic', maxDetections: 2 })).toEqual([o1a, o2a]);
    expect(nms({ boxes: all, iouThreshold: 0.5, mode: 'class-agnostic', maxDetections: 1 })).toEqual([o1a]);
    // scoreThreshold drops candidates before suppression.
    expect(nms({ boxes: all, iouThreshold: 0.5, mode: 'class-agnostic', scoreThreshold: 0.58 })).toEqual([o1a]);
  });

  it('class-agnostic honours iouThreshold: IoU 0.6 survives at 0.6, goes at 0.59', () => {
    expect(nms({ boxes: [A, C], iouThreshold: 0.6, mode: 'class-agnostic' })).toEqual([A, C]);
    expect(nms({ boxes: [A, C], iouThreshold: 0.59, mode: 'class-agnostic' })).toEqual([A]);
  });

  it('keeps a box whose IoU equals the threshold (suppression needs IoU > threshold)', () => {
    expect(nms({ boxes: [A, B], iouThreshold: 0.6 })).toEqual([A, B]);
    expect(nms({ boxes: [A, B], iouThreshold: 0.59 })).toEqual([A]);
  });

  it('breaks score ties by input order, deterministically', () => {
    const p = sb(0, 0, 10, 10, 0.5);
    const q = sb(1, 0, 11, 10, 0.5);
    expect(nms({ boxes: [p, q], iouThreshold: 0.5 })).toEqual([p]);
    expect(nms({ boxes: [q, p], iouThreshold: 0.5 })).toEqual([q]);
  });

  it('applies scoreThreshold and maxDetections', () => {
    const boxes = [sb(0, 0, 1, 1, 0.2), sb(5, 5, 6, 6, 0.9), sb(10, 10, 11, 11, 0.5), sb(20, 20, 21, 21, 0.4)];
    expect(nms({ boxes, iouThreshold: 0.5, scoreThreshold: 0.3 }).map((b) => b.score)).toEqual([0.9, 0.5, 0.4]);
    expect(nms({ boxes, iouThreshold: 0.5, maxDetections: 2 }).map((b) => b.score)).toEqual([0.9, 0.5]);
    expect(nms({ boxes, iouThreshold: 0.5, maxDetections: 0 })).toEqual([]);
    expect(nms({ boxes: [], iouThreshold: 0.5 })).toEqual([]);
  });

  it('a suppressed box does not suppress others (greedy chain)', () => {
    // X overlaps Y, Y overlaps Z, X does not overlap Z: X and Z survive.
    const X = sb(0, 0, 10, 10, 0.9);
    const Y = sb(4, 0, 14, 10, 0.8);
    const Z = sb(9, 0, 19, 10, 0.7);
    expect(nms({ boxes: [X, Y, Z], iouThreshold: 0.3 })).toEqual([X, Z]);
  });

  it('rejects bad options with INVALID_ARGUMENT', () => {
    for (const bad of [
      { boxes: [], iouThreshold: 1.5 },
      { boxes: [], iouThreshold: Number.NaN },
      { boxes: [], iouThreshold: 0.5, maxDetections: -1 },
      { boxes: [], iouThreshold: 0.5, maxDetections: 2.5 },
      { boxes: 'x' as unknown as ScoredBox[], iouThreshold: 0.5 },
      { boxes: [], iouThreshold: 0.5, mode: 'agnostic' as unknown as 'per-class' },
    ]) {
      expect(() => nms(bad)).toThrowError(ResNetEdgeError);
      try {
        nms(bad);
      } catch (e) {
        expect((e as ResNetEdgeError).code).toBe('INVALID_ARGUMENT');
      }
    }
  });
});

describe('checkScoreThreshold (decoders, nms, detect)', () => {
  // Scores are probabilities: 2 or Infinity returned nothing and -1 everything, without a word.
  it('takes a number in [0, 1]; anything else is INVALID_ARGUMENT with the range in the message', () => {
    expect(checkScoreThreshold(0)).toBe(0);
    expect(checkScoreThreshold(1)).toBe(1);
    for (const v of [-1, 2, Infinity, -Infinity, NaN, '0.5']) {
      expect(() => checkScoreThreshold(v)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('scoreThreshold must be a number in [0, 1]') }));
      expect(() => nms({ boxes: [], iouThreshold: 0.5, scoreThreshold: v as number })).toThrow(/scoreThreshold must be a number in \[0, 1\]/);
    }
    expect(() => checkScoreThreshold('0.5')).toThrow('got "0.5"');
  });

  it('checkNumber names no range when there is none', () => {
    expect(() => checkNumber('x', NaN, -Infinity, Infinity)).toThrow(/^x must be a number, got NaN\.$/);
  });
});
