import { describe, expect, it } from 'vitest';
import { validateManifest } from './manifest.js';
import { testManifest } from '../testing/test-manifest.js';

// A plain record, so each case can break one field without fighting the types.
export function validManifest(): Record<string, unknown> {
  return {
    ...testManifest({
      labels: ['a', 'b'],
      input: { shape: [1, 1, 28, 28], channels: 'grayscale', mean: [0.286], std: [0.353] },
      output: { name: 'logits', kind: 'logits' },
      quantization: { format: 'qdq' },
      files: [{ path: 'model.int8.onnx', role: 'model', bytes: 10, sha256: 'a'.repeat(64) }],
    }),
  };
}

describe('validateManifest', () => {
  it('accepts a valid manifest', () => {
    expect(validateManifest(validManifest()).id).toBe('test-model');
  });
  it('names every faulty field', () => {
    const m = validManifest();
    (m.input as Record<string, unknown>).channels = 'cmyk';
    (m.files as Array<Record<string, unknown>>)[0].sha256 = 'xyz';
    m.labels = [];
    try {
      validateManifest(m);
      expect.unreachable();
    } catch (e) {
      const err = e as { code: string; message: string; details: { errors: string[] } };
      expect(err.code).toBe('INVALID_MANIFEST');
      expect(err.details.errors).toEqual(
        expect.arrayContaining([
          expect.stringContaining('input.channels'),
          expect.stringContaining('files[0].sha256'),
          expect.stringContaining('labels'),
        ]),
      );
    }
  });
  it('checks channel count against the colour mode and std != 0', () => {
    const m = validManifest();
    (m.input as Record<string, unknown>).channels = 'rgb';
    (m.input as Record<string, unknown>).std = [0];
    expect(() => validateManifest(m)).toThrow(/input.shape\[1\] must be 3.*|std/);
  });
  it('rejects path traversal in files', () => {
    const m = validManifest();
    (m.files as Array<Record<string, unknown>>)[0].path = '../../etc/passwd';
    expect(() => validateManifest(m)).toThrow(/files\[0\].path/);
  });
  it('requires a detection section for detection models', () => {
    const m = validManifest();
    m.task = 'detection';
    expect(() => validateManifest(m)).toThrow(/detection must be an object/);
  });
  it('accepts the two NMS modes as detection.nms (or none) and rejects others', () => {
    const m = validManifest();
    m.task = 'detection';
    const head = { format: 'centernet', heatmap: 'hm', size: 'wh', offset: 'off', stride: 4, sigmoid: true };
    m.detection = { head, scoreThreshold: 0.3, iouThreshold: 0.5, maxDetections: 100 };
    expect(validateManifest(m).detection?.nms).toBeUndefined();
    for (const nms of ['class-agnostic', 'per-class']) {
      m.detection = { head, scoreThreshold: 0.3, iouThreshold: 0.5, maxDetections: 100, nms };
      expect(validateManifest(m).detection?.nms).toBe(nms);
    }
    m.detection = { head, scoreThreshold: 0.3, iouThreshold: 0.5, maxDetections: 100, nms: 'agnostic' };
    expect(() => validateManifest(m)).toThrow(/detection.nms/);
    // Thresholds are what detect() accepts per call, [0, 1]: a manifest default outside it fails at load, not later.
    m.detection = { head, scoreThreshold: 1.5, iouThreshold: -0.1, maxDetections: 100 };
    expect(() => validateManifest(m)).toThrow(/detection.scoreThreshold must be a number from 0 to 1.*detection.iouThreshold must be a number from 0 to 1/);
  });
  it('accepts a second stage (detection.refine + one role "refine" file) and names what is wrong with one', () => {
    const m = validManifest();
    m.task = 'detection';
    const head = { format: 'centernet', heatmap: 'hm', size: 'wh', offset: 'off', stride: 4, sigmoid: true };
    const refine = { input: 'input', output: 'logits', size: 28, context: 1.2, minSide: 4, eps: 0.02 };
    const refineFile = { path: 'refine.int8.onnx', role: 'refine', bytes: 5, sha256: 'b'.repeat(64) };
    m.detection = { head, scoreThreshold: 0.3, iouThreshold: 0.5, maxDetections: 100, refine };
    m.files = [...(m.files as unknown[]), refineFile];
    expect(validateManifest(m).detection?.refine).toEqual(refine);
    m.detection = { head, scoreThreshold: 0.3, iouThreshold: 0.5, maxDetections: 100, refine: { ...refine, size: 0, eps: -1 } };
    expect(() => validateManifest(m)).toThrow(/detection.refine.size must be a positive integer.*detection.refine.eps must be > 0/);
    m.detection = { head, scoreThreshold: 0.3, iouThreshold: 0.5, maxDetections: 100, refine };
    m.files = (m.files as unknown[]).slice(0, 1);
    expect(() => validateManifest(m)).toThrow(/exactly one files entry with role "refine" \(found 0\)/);
    // A refine file nobody uses is a packaging mistake, not something to ignore.
    m.detection = { head, scoreThreshold: 0.3, iouThreshold: 0.5, maxDetections: 100 };
    m.files = [...(m.files as unknown[]), refineFile];
    expect(() => validateManifest(m)).toThrow(/role "refine" needs detection.refine/);
  });
  it('rejects non-objects', () => {
    expect(() => validateManifest('nope')).toThrow(expect.objectContaining({ code: 'INVALID_MANIFEST' }));
  });
});
