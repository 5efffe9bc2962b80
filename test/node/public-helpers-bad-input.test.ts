// The main entry's exported helpers on malformed arguments: a typed INVALID_ARGUMENT, never a TypeError from deep
// inside (they are called from plain JS, where the TypeScript types do not hold).
import { describe, expect, it } from 'vitest';
import * as core from '../../packages/core/src/index.js';
import { toClassifications } from '../../packages/core/src/tasks/classify.js';

const api = core as unknown as Record<string, (...a: unknown[]) => unknown>;
const box = { xmin: 0, ymin: 0, xmax: 2, ymax: 2 };

const cases: [string, () => unknown][] = [
  ['topK(null values)', () => api.topK({ values: null, k: 1 })],
  ['topK(null)', () => api.topK(null)],
  ['sniffImage(null)', () => api.sniffImage(null)],
  ['boxIou(null, null)', () => api.boxIou(null, null)],
  ['nms(box: null)', () => api.nms({ boxes: [{ score: 0.9, classIndex: 0, box: null }], iouThreshold: 0.5 })],
  ['nms(box without ymax)', () => api.nms({ boxes: [{ score: 0.9, classIndex: 0, box: { xmin: 0, ymin: 0, xmax: 1 } }], iouThreshold: 0.5 })],
  ['mapBoxToSource(null, null)', () => api.mapBoxToSource(null, null)],
  ['mapBoxToSource(box, zero scale)', () => api.mapBoxToSource(box, { scaleX: 0, scaleY: 1, offsetX: 0, offsetY: 0, srcWidth: 4, srcHeight: 4 })],
  ['evaluateDetections(null)', () => api.evaluateDetections(null)],
  ['precisionRecall(null)', () => api.precisionRecall(null)],
  ['toClassifications(kind bogus)', () => toClassifications({ output: [1, 2], labels: ['a', 'b'], kind: 'bogus' as never, topK: 1 })],
  ['load(registry: {})', () => api.load({ model: 'fmnist-resnet20', registry: {} })],
];

describe('exported helpers on malformed arguments', () => {
  it.each(cases)('%s -> INVALID_ARGUMENT', async (_name, call) => {
    const err = await (async () => call())().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(core.ResNetEdgeError);
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
  it('and still answer correctly on good arguments', () => {
    expect(api.topK({ values: [0.1, 0.7, 0.2], k: 2 })).toEqual([1, 2]);
    expect(api.boxIou(box, { xmin: 1, ymin: 0, xmax: 3, ymax: 2 })).toBeCloseTo(1 / 3);
    expect(api.nms({ boxes: [{ score: 0.9, classIndex: 0, box }, { score: 0.8, classIndex: 0, box }], iouThreshold: 0.5 })).toHaveLength(1);
    expect(toClassifications({ output: [0, 0], labels: ['a', 'b'], kind: 'logits', topK: 1 })[0].score).toBeCloseTo(0.5);
  });
});
