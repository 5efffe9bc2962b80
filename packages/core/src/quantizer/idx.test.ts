import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ResNetEdgeError } from '../errors.js';
import { idxToCalibration, readIdx } from './idx.js';

/** A synthetic IDX3 file of `count` 32x32 grayscale images. */
function idxFile(count: number): Uint8Array {
  const header = new Uint8Array(16);
  const dv = new DataView(header.buffer);
  dv.setUint32(0, 0x00000803);
  dv.setUint32(4, count);
  dv.setUint32(8, 32);
  dv.setUint32(12, 32);
  const body = Uint8Array.from({ length: count * 32 * 32 }, (_, i) => (i * 37 + (i >> 5) * 11) & 0xff);
  const out = new Uint8Array(16 + body.length);
  out.set(header);
  out.set(body, 16);
  return out;
}

describe('IDX reader', () => {
  it('parses headers, rejects malformed files, and preprocesses per the input spec', () => {
    const idx = readIdx(idxFile(5));
    expect(idx.dims).toEqual([5, 32, 32]);
    const spec = {
      name: 'input', shape: [1, 1, 16, 16] as [number, number, number, number], layout: 'NCHW' as const, channels: 'grayscale' as const,
      resize: { mode: 'stretch' as const, filter: 'bilinear' as const }, scale: 255, mean: [0.5], std: [0.25],
    };
    const batches = [...idxToCalibration({ idx, input: spec, samples: 5, batch: 2 })];
    expect(batches.map((b) => b.dims)).toEqual([[2, 1, 16, 16], [2, 1, 16, 16], [1, 1, 16, 16]]);
    for (const b of batches) for (const v of b.data) expect(v).toBeGreaterThanOrEqual(-2), expect(v).toBeLessThanOrEqual(2);
    expect(() => readIdx(new Uint8Array([0, 0, 8]))).toThrow(ResNetEdgeError);
    expect(() => readIdx(gzipSync(idxFile(1)))).toThrow(/gunzip/);
    expect(() => readIdx(idxFile(2).subarray(0, 100))).toThrow(/header says/);
    expect(() => readIdx(new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]))).toThrow(/unsigned byte/);
  });

  it('samples and batch must be positive integers (NaN yielded nothing, batch NaN one tensor of everything)', () => {
    const idx = readIdx(idxFile(3));
    const input = {
      name: 'input', shape: [-1, 1, 8, 8] as [number, number, number, number], layout: 'NCHW' as const, channels: 'grayscale' as const,
      resize: { mode: 'stretch' as const, filter: 'bilinear' as const }, scale: 255, mean: [0], std: [1],
    };
    for (const bad of [NaN, 0, -2, 1.5]) {
      expect(() => [...idxToCalibration({ idx, input, samples: bad })]).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      expect(() => [...idxToCalibration({ idx, input, batch: bad })]).toThrow(/batch must be a positive integer/);
    }
    expect([...idxToCalibration({ idx, input, samples: 5, batch: 2 })].map((t) => t.dims[0])).toEqual([2, 1]); // capped at the file's 3
  });
});
