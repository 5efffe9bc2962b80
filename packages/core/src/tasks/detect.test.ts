import { describe, expect, it } from 'vitest';
import { planResize } from '../image/geometry.js';
import type { DetectionHead } from '../package/manifest-types.js';
import { toDetections } from './detect.js';

const labels = ['a', 'b'];
const centernet: DetectionHead = { format: 'centernet', heatmap: 'hm', size: 'wh', offset: 'off', stride: 4, sigmoid: true };

/** One CenterNet output set on a 24x24 grid (96x96 input) with the given peaks. */
function outputs(peaks: { cls: number; x: number; y: number; score: number; w: number; h: number }[]) {
  const n = 24 * 24;
  const hm = new Float32Array(2 * n);
  const wh = new Float32Array(2 * n);
  const off = new Float32Array(2 * n);
  for (const p of peaks) {
    const i = p.y * 24 + p.x;
    hm[p.cls * n + i] = p.score;
    wh[i] = p.w;
    wh[n + i] = p.h;
  }
  return { hm: { data: hm, dims: [1, 2, 24, 24] }, wh: { data: wh, dims: [1, 2, 24, 24] }, off: { data: off, dims: [1, 2, 24, 24] } };
}

describe('toDetections', () => {
  it('maps boxes from a letterboxed 96x96 input back to a 200x100 image and clamps them', () => {
    const plan = planResize({ srcWidth: 200, srcHeight: 100, width: 96, height: 96, policy: { mode: 'letterbox', filter: 'bilinear' } });
    // 200x100 -> 96x48, centred: 24 rows of padding above.
    expect(plan.transform).toMatchObject({ scaleX: 0.48, scaleY: 0.48, offsetX: 0, offsetY: 24 });
    const dets = toDetections({
      outputs: outputs([
        { cls: 1, x: 12, y: 12, score: 0.9, w: 48, h: 24 }, // centre (48, 48): model box 24,36..72,60
        { cls: 0, x: 1, y: 7, score: 0.8, w: 16, h: 8 }, // centre (4, 28): model box -4,24..12,32 -> clamped at x=0
        { cls: 0, x: 20, y: 2, score: 0.7, w: 8, h: 8 }, // centre (80, 8): entirely in the top padding -> dropped
      ]),
      head: centernet,
      labels,
      inputWidth: 96,
      inputHeight: 96,
      transform: plan.transform,
      scoreThreshold: 0.5,
      iouThreshold: 0.5,
      maxDetections: 10,
      nms: 'per-class',
    });
    expect(dets).toHaveLength(2);
    expect(dets[0]).toEqual({ label: 'b', score: expect.closeTo(0.9, 6), box: { xmin: 50, ymin: 25, xmax: 150, ymax: 75 } });
    expect(dets[1].label).toBe('a');
    expect(dets[1].box.xmin).toBe(0);
    expect(dets[1].box.ymin).toBeCloseTo(0, 9);
    expect(dets[1].box.xmax).toBeCloseTo(25, 9);
    expect(dets[1].box.ymax).toBeCloseTo(8 / 0.48, 9);
  });

  it('maps a stretched input with different x and y scales', () => {
    const plan = planResize({ srcWidth: 192, srcHeight: 48, width: 96, height: 96, policy: { mode: 'stretch', filter: 'bilinear' } });
    const dets = toDetections({
      outputs: outputs([{ cls: 0, x: 6, y: 6, score: 0.6, w: 16, h: 16 }]), // model box 16..32 both axes
      head: centernet,
      labels,
      inputWidth: 96,
      inputHeight: 96,
      transform: plan.transform,
      scoreThreshold: 0.3,
      iouThreshold: 0.5,
      maxDetections: 10,
      nms: 'per-class',
    });
    expect(dets).toEqual([{ label: 'a', score: expect.closeTo(0.6, 6), box: { xmin: 32, ymin: 8, xmax: 64, ymax: 16 } }]);
  });

  it('suppresses same-class duplicates but keeps other classes, and honours maxDetections', () => {
    const base = { head: centernet, labels, inputWidth: 96, inputHeight: 96, scoreThreshold: 0.3, iouThreshold: 0.5, nms: 'per-class' as const };
    const transform = { scaleX: 1, scaleY: 1, offsetX: 0, offsetY: 0, srcWidth: 96, srcHeight: 96 };
    const o = outputs([
      { cls: 0, x: 10, y: 10, score: 0.9, w: 40, h: 40 },
      { cls: 0, x: 12, y: 10, score: 0.8, w: 40, h: 40 }, // 8 px to the right: IoU 0.67 with the first, suppressed
      { cls: 1, x: 12, y: 10, score: 0.7, w: 40, h: 40 }, // other class: kept
    ]);
    expect(toDetections({ ...base, outputs: o, transform, maxDetections: 10 }).map((d) => [d.label, d.score.toFixed(1)])).toEqual([
      ['a', '0.9'],
      ['b', '0.7'],
    ]);
    expect(toDetections({ ...base, outputs: o, transform, maxDetections: 1 })).toHaveLength(1);
  });

  it("nms 'class-agnostic' keeps one box per object: the other class at IoU 0.67 goes too", () => {
    const base = { head: centernet, labels, inputWidth: 96, inputHeight: 96, scoreThreshold: 0.3, iouThreshold: 0.5, maxDetections: 10 };
    const transform = { scaleX: 1, scaleY: 1, offsetX: 0, offsetY: 0, srcWidth: 96, srcHeight: 96 };
    const o = outputs([
      { cls: 1, x: 10, y: 10, score: 0.6, w: 40, h: 40 },
      { cls: 0, x: 12, y: 10, score: 0.5, w: 40, h: 40 }, // other class, IoU 0.67: suppressed across classes
      { cls: 0, x: 20, y: 20, score: 0.4, w: 8, h: 8 }, // box 76..84, no overlap: kept
    ]);
    const run = (nms: 'class-agnostic' | 'per-class') => toDetections({ ...base, outputs: o, transform, nms }).map((d) => [d.label, d.score.toFixed(1)]);
    expect(run('class-agnostic')).toEqual([
      ['b', '0.6'],
      ['a', '0.4'],
    ]);
    expect(run('per-class')).toEqual([
      ['b', '0.6'],
      ['a', '0.5'],
      ['a', '0.4'],
    ]);
    expect(() => toDetections({ ...base, outputs: o, transform, nms: 'none' as 'per-class' })).toThrowError(/nms must be/);
  });

  it('decodes a boxes-scores head', () => {
    const dets = toDetections({
      outputs: { boxes: { data: Float32Array.from([0.25, 0.25, 0.75, 0.75]), dims: [1, 1, 4] }, scores: { data: Float32Array.from([0.2, 0.8]), dims: [1, 1, 2] } },
      head: { format: 'boxes-scores', boxes: 'boxes', scores: 'scores', boxFormat: 'xyxy', normalized: true },
      labels,
      inputWidth: 100,
      inputHeight: 100,
      transform: { scaleX: 0.5, scaleY: 0.5, offsetX: 0, offsetY: 0, srcWidth: 200, srcHeight: 200 },
      scoreThreshold: 0.5,
      iouThreshold: 0.5,
      maxDetections: 5,
      nms: 'per-class',
    });
    expect(dets).toEqual([{ label: 'b', score: expect.closeTo(0.8, 6), box: { xmin: 50, ymin: 50, xmax: 150, ymax: 150 } }]);
  });

  it('reports a missing output and an out-of-range class', () => {
    const base = { head: centernet, inputWidth: 96, inputHeight: 96, scoreThreshold: 0.3, iouThreshold: 0.5, maxDetections: 5, nms: 'per-class' as const };
    const transform = { scaleX: 1, scaleY: 1, offsetX: 0, offsetY: 0, srcWidth: 96, srcHeight: 96 };
    expect(() => toDetections({ ...base, labels, transform, outputs: {} })).toThrowError(/no output "hm"/);
    const o = outputs([{ cls: 1, x: 3, y: 3, score: 0.9, w: 4, h: 4 }]);
    expect(() => toDetections({ ...base, labels: ['only'], transform, outputs: o })).toThrowError(/class 1/);
  });
});
