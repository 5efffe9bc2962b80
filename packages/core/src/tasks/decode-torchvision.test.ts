import { describe, expect, it } from 'vitest';
import { decodeTorchvision } from './decode-torchvision.js';
import { toDetections } from './detect.js';

const t = (data: number[], dims: number[]) => ({ data: Float32Array.from(data), dims });

describe('decodeTorchvision (boxes [K,4] xyxy + labels [K] + scores [K])', () => {
  const boxes = t([10, 20, 50, 80, 60, 5, 30, 40, 0, 0, 1, 1, NaN, 0, 4, 4], [4, 4]);
  const labels = t([1, 3, -1, 2], [4]);
  const scores = t([0.9, 0.6, 0.95, 0.99], [4]);

  it('keeps boxes over the threshold, orders corners, skips negative labels and non-finite boxes', () => {
    expect(decodeTorchvision({ boxes, labels, scores, scoreThreshold: 0.5 })).toEqual([
      { box: { xmin: 10, ymin: 20, xmax: 50, ymax: 80 }, score: expect.closeTo(0.9, 6), classIndex: 1 },
      { box: { xmin: 30, ymin: 5, xmax: 60, ymax: 40 }, score: expect.closeTo(0.6, 6), classIndex: 3 },
    ]);
    expect(decodeTorchvision({ boxes, labels, scores, scoreThreshold: 0.7 })).toHaveLength(1);
  });

  it('accepts a leading batch axis of 1 and rejects mismatched shapes', () => {
    expect(decodeTorchvision({ boxes: t([0, 0, 2, 2], [1, 1, 4]), labels: t([0], [1, 1]), scores: t([1], [1, 1]) })).toHaveLength(1);
    expect(() => decodeTorchvision({ boxes, labels: t([1, 2], [2]), scores })).toThrow(expect.objectContaining({ code: 'INFERENCE_FAILED' }));
  });

  it('through toDetections: labels by class id, boxes mapped back through the letterbox', () => {
    // 200x100 source letterboxed into 100x100: scale 0.5, 25 px of padding above.
    const transform = { scaleX: 0.5, scaleY: 0.5, offsetX: 0, offsetY: 25, srcWidth: 200, srcHeight: 100 };
    const dets = toDetections({
      outputs: { boxes: t([10, 35, 50, 65], [1, 4]), labels: t([2], [1]), scores: t([0.8], [1]) },
      head: { format: 'torchvision', boxes: 'boxes', labels: 'labels', scores: 'scores' },
      labels: ['__background__', 'person', 'bicycle'],
      inputWidth: 100,
      inputHeight: 100,
      transform,
      scoreThreshold: 0.5,
      iouThreshold: 0.5,
      maxDetections: 10,
      nms: 'per-class',
    });
    expect(dets).toEqual([{ label: 'bicycle', score: expect.closeTo(0.8, 6), box: { xmin: 20, ymin: 20, xmax: 100, ymax: 80 } }]);
  });
});
