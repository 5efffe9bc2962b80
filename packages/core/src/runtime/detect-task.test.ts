import { describe, expect, it } from 'vitest';
import type { DetectionSpec } from '../package/manifest-types.js';
import { testManifest } from '../testing/test-manifest.js';
import { checkDetectOptions } from './detect-options.js';
import { runDetection } from './detect-task.js';
import type { ScoredBox } from '../tasks/detect-types.js';

// One object seen as two classes: class 1 at 0.6 and class 0 at 0.5, boxes 8 px apart (IoU 0.67), on a 24x24 grid.
function outputs() {
  const n = 24 * 24;
  const hm = new Float32Array(2 * n);
  const wh = new Float32Array(2 * n).fill(40);
  hm[n + 10 * 24 + 10] = 0.6;
  hm[10 * 24 + 12] = 0.5;
  return {
    hm: { data: hm, dims: [1, 2, 24, 24] },
    wh: { data: wh, dims: [1, 2, 24, 24] },
    off: { data: new Float32Array(2 * n), dims: [1, 2, 24, 24] },
  };
}

function manifest(nms?: DetectionSpec['nms']) {
  const detection: DetectionSpec = {
    head: { format: 'centernet', heatmap: 'hm', size: 'wh', offset: 'off', stride: 4, sigmoid: true },
    scoreThreshold: 0.3,
    iouThreshold: 0.5,
    maxDetections: 100,
    ...(nms ? { nms } : {}),
  };
  return testManifest({
    task: 'detection',
    labels: ['a', 'b'],
    input: { shape: [1, 1, 96, 96], channels: 'grayscale' },
    detection,
    files: [{ path: 'model.onnx', role: 'model', bytes: 10, sha256: 'a'.repeat(64) }],
  });
}

const transform = { scaleX: 1, scaleY: 1, offsetX: 0, offsetY: 0, srcWidth: 96, srcHeight: 96 };
const labelsOf = async (m: ReturnType<typeof manifest>, options = {}) => (await runDetection({ outputs: outputs(), manifest: m, transform, options })).map((d) => d.label);

describe('runDetection NMS mode', () => {
  it("uses the manifest's detection.nms by default", async () => {
    expect(await labelsOf(manifest('class-agnostic'))).toEqual(['b']);
    expect(await labelsOf(manifest('per-class'))).toEqual(['b', 'a']);
  });

  it("falls back to 'per-class' for manifests without detection.nms (how they were always decoded)", async () => {
    expect(await labelsOf(manifest())).toEqual(['b', 'a']);
  });

  it('lets the caller override the mode and the thresholds that apply to it', async () => {
    expect(await labelsOf(manifest('class-agnostic'), { nms: 'per-class' })).toEqual(['b', 'a']);
    expect(await labelsOf(manifest('per-class'), { nms: 'class-agnostic' })).toEqual(['b']);
    // IoU 0.67 is below a 0.7 threshold: nothing to suppress even across classes.
    expect(await labelsOf(manifest('class-agnostic'), { iouThreshold: 0.7 })).toEqual(['b', 'a']);
    expect(await labelsOf(manifest('per-class'), { maxDetections: 1 })).toEqual(['b']);
  });

  it('rejects an unknown mode with INVALID_ARGUMENT', async () => {
    await expect(labelsOf(manifest(), { nms: 'agnostic' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('runDetection with a second stage', () => {
  it('hands the kept candidates and the threshold to refine, then suppresses again on the new labels', async () => {
    const seen: { n: number; threshold: number }[] = [];
    // Per-class NMS keeps both overlapping boxes (labels b, a); the second stage calls both "a": one must remain.
    const refine = async (cands: ScoredBox[], threshold: number) => {
      seen.push({ n: cands.length, threshold });
      return cands.map((c) => ({ ...c, classIndex: 0, score: c.score * 0.5 }));
    };
    const dets = await runDetection({ outputs: outputs(), manifest: manifest('per-class'), transform, options: { scoreThreshold: 0.1 }, refine });
    expect(seen).toEqual([{ n: 2, threshold: 0.1 }]);
    expect(dets.map((d) => d.label)).toEqual(['a']);
  });

  it('does not call refine when nothing was detected', async () => {
    let called = false;
    const refine = async (c: ScoredBox[]) => ((called = true), c);
    expect(await runDetection({ outputs: outputs(), manifest: manifest('per-class'), transform, options: { scoreThreshold: 0.99 }, refine })).toEqual([]);
    expect(called).toBe(false);
  });
});

describe('checkDetectOptions', () => {
  it('rejects thresholds outside [0, 1], a bad maxDetections or nms, before any decoding', () => {
    for (const o of [{ scoreThreshold: 2 }, { scoreThreshold: -1 }, { scoreThreshold: Infinity }, { scoreThreshold: NaN }, { iouThreshold: 1.5 }, { maxDetections: 1.5 }, { nms: 'x' }]) {
      expect(() => checkDetectOptions(o)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    expect(() => checkDetectOptions({ scoreThreshold: undefined, iouThreshold: 0, maxDetections: 0, nms: 'per-class' })).not.toThrow();
  });

  it('runDetection refuses a scoreThreshold of 2 or -1 instead of returning nothing or everything', async () => {
    await expect(labelsOf(manifest(), { scoreThreshold: 2 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(labelsOf(manifest(), { scoreThreshold: -1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
