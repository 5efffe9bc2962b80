import { describe, expect, it } from 'vitest';
import { ResNetEdgeError } from '../errors.js';
import { decodeCenterNet } from './decode-centernet.js';

/** Builds [1,C,h,w] heatmap and [1,2,h,w] size/offset tensors with given cells set. */
function head(c: number, h: number, w: number) {
  const heat = new Float32Array(c * h * w);
  const size = new Float32Array(2 * h * w);
  const offset = new Float32Array(2 * h * w);
  return {
    set(cls: number, x: number, y: number, v: number) {
      heat[cls * h * w + y * w + x] = v;
    },
    box(x: number, y: number, ox: number, oy: number, bw: number, bh: number) {
      offset[y * w + x] = ox;
      offset[h * w + y * w + x] = oy;
      size[y * w + x] = bw;
      size[h * w + y * w + x] = bh;
    },
    tensors: {
      heatmap: { data: heat, dims: [1, c, h, w] },
      size: { data: size, dims: [1, 2, h, w] },
      offset: { data: offset, dims: [1, 2, h, w] },
    },
  };
}

describe('decodeCenterNet', () => {
  it('decodes a peak into (cell + offset) * stride +- size / 2', () => {
    const t = head(2, 4, 4);
    t.set(1, 1, 2, 0.9);
    t.set(1, 2, 2, 0.5); // neighbour of the peak: not a peak itself
    t.box(1, 2, 0.25, 0.5, 8, 6);
    const out = decodeCenterNet({ ...t.tensors, stride: 4, scoreThreshold: 0.1 });
    expect(out).toHaveLength(1);
    expect(out[0].classIndex).toBe(1);
    expect(out[0].score).toBeCloseTo(0.9, 6);
    // centre (1.25 * 4, 2.5 * 4) = (5, 10); w 8, h 6
    expect(out[0].box).toEqual({ xmin: 1, ymin: 7, xmax: 9, ymax: 13 });
  });

  it('keeps separate peaks per class at the same cell, ranks by score and applies topK/threshold', () => {
    const t = head(3, 5, 5);
    t.set(0, 0, 0, 0.3);
    t.set(2, 0, 0, 0.6);
    t.set(1, 4, 4, 0.8);
    t.set(1, 2, 2, 0.04);
    const all = decodeCenterNet({ ...t.tensors, stride: 2 });
    expect(all.map((d) => [d.classIndex, +d.score.toFixed(2)])).toEqual([[1, 0.8], [2, 0.6], [0, 0.3]]);
    expect(decodeCenterNet({ ...t.tensors, stride: 2, topK: 2 })).toHaveLength(2);
    expect(decodeCenterNet({ ...t.tensors, stride: 2, scoreThreshold: 0.01 })).toHaveLength(4);
    expect(decodeCenterNet({ ...t.tensors, stride: 2, scoreThreshold: 0.5 })).toHaveLength(2);
  });

  it('keeps every cell of a plateau (3x3 max-pool semantics), in raster order', () => {
    const t = head(1, 3, 4);
    t.set(0, 1, 1, 0.7);
    t.set(0, 2, 1, 0.7);
    const out = decodeCenterNet({ ...t.tensors, stride: 1, scoreThreshold: 0.1 });
    expect(out.map((d) => d.box.xmin)).toEqual([1, 2]);
  });

  it('applies the sigmoid when the head outputs logits', () => {
    const t = head(1, 3, 3);
    t.tensors.heatmap.data.fill(-10);
    t.set(0, 1, 1, 0);
    const out = decodeCenterNet({ ...t.tensors, stride: 4, sigmoid: false, scoreThreshold: 0.3 });
    expect(out).toHaveLength(1);
    expect(out[0].score).toBeCloseTo(0.5, 9);
  });

  it('decodes the requested batch item and clamps negative sizes to empty boxes', () => {
    const h = 2;
    const w = 2;
    const heat = new Float32Array(2 * h * w);
    heat[h * w + 3] = 0.9; // batch 1, cell (1,1)
    const size = new Float32Array(2 * 2 * h * w).fill(-5);
    const offset = new Float32Array(2 * 2 * h * w);
    const out = decodeCenterNet({
      heatmap: { data: heat, dims: [2, 1, h, w] },
      size: { data: size, dims: [2, 2, h, w] },
      offset: { data: offset, dims: [2, 2, h, w] },
      stride: 4,
      batchIndex: 1,
    });
    expect(out).toEqual([{ box: { xmin: 4, ymin: 4, xmax: 4, ymax: 4 }, score: expect.closeTo(0.9, 6), classIndex: 0, classScores: Float32Array.of(0.9) }]);
  });

  it("gives each candidate every class's confidence at its peak (the requested batch item, sigmoid applied)", () => {
    // 3 classes on a 2x2 grid, batch 2: the peak of class 2 at cell 1 of item 1; the other classes' logits there.
    const heat = new Float32Array(2 * 3 * 4).fill(-9);
    heat[12 + 0 * 4 + 1] = -1;
    heat[12 + 1 * 4 + 1] = 0;
    heat[12 + 2 * 4 + 1] = 3;
    const zeros = new Float32Array(2 * 2 * 4);
    const out = decodeCenterNet({
      heatmap: { data: heat, dims: [2, 3, 2, 2] },
      size: { data: zeros, dims: [2, 2, 2, 2] },
      offset: { data: zeros, dims: [2, 2, 2, 2] },
      stride: 4,
      sigmoid: false,
      scoreThreshold: 0.9,
      batchIndex: 1,
    });
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    expect(out.map((d) => d.classIndex)).toEqual([2]);
    expect([...out[0].classScores!].map((v) => +v.toFixed(6))).toEqual([sig(-1), sig(0), sig(3)].map((v) => +v.toFixed(6)));
  });

  it('reports malformed outputs as INFERENCE_FAILED and bad options as INVALID_ARGUMENT', () => {
    const t = head(1, 2, 2);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ResNetEdgeError);
        return (e as ResNetEdgeError).code;
      }
      return 'no error';
    };
    expect(code(() => decodeCenterNet({ ...t.tensors, size: { data: new Float32Array(8), dims: [1, 2, 2, 3] }, stride: 4 }))).toBe('INFERENCE_FAILED');
    expect(code(() => decodeCenterNet({ ...t.tensors, offset: { data: new Float32Array(6), dims: [1, 3, 2, 1] }, stride: 4 }))).toBe('INFERENCE_FAILED');
    expect(code(() => decodeCenterNet({ ...t.tensors, heatmap: undefined as never, stride: 4 }))).toBe('INFERENCE_FAILED');
    expect(code(() => decodeCenterNet({ ...t.tensors, stride: 0 }))).toBe('INVALID_ARGUMENT');
    expect(code(() => decodeCenterNet({ ...t.tensors, stride: 4, topK: -1 }))).toBe('INVALID_ARGUMENT');
    expect(code(() => decodeCenterNet({ ...t.tensors, stride: 4, batchIndex: 1 }))).toBe('INVALID_ARGUMENT');
  });
});

describe('decodeCenterNet scoreThreshold', () => {
  it('is a number in [0, 1] (the NaN message said "in [-Infinity, Infinity]")', () => {
    const t = head(1, 2, 2);
    for (const scoreThreshold of [NaN, -1, 2, Infinity]) {
      expect(() => decodeCenterNet({ ...t.tensors, stride: 4, scoreThreshold })).toThrow(`scoreThreshold must be a number in [0, 1], got ${scoreThreshold}.`);
    }
  });
});
