import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ResNetEdgeError } from '../errors.js';
import { errorCode } from '../testing/error-code.js';
import { randomInputs } from '../testing/quantizer-helpers.js';
import { quantize, type QuantizeOptions } from './quantize.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../../test-fixtures/quantize');
const tiny = new Uint8Array(readFileSync(join(fixtures, 'tiny-op13.onnx')));
const calibration = randomInputs(2, [1, 3, 32, 32], 1);
const q = (extra: Record<string, unknown>) => quantize({ model: tiny, calibration, method: 'minmax', ...extra } as QuantizeOptions);

describe('quantize() options', () => {
  it('a missing or malformed options object is INVALID_ARGUMENT, not a TypeError', async () => {
    for (const o of [null, undefined, 42, 'model.onnx', [tiny]]) expect(await errorCode(quantize(o as unknown as QuantizeOptions))).toBe('INVALID_ARGUMENT');
    expect(await errorCode(quantize({ calibration } as unknown as QuantizeOptions))).toBe('INVALID_ARGUMENT');
  });

  it('calibration must be an array or (async) iterable', async () => {
    for (const c of [null, undefined, 42, 'samples', { data: new Float32Array(3072), dims: [1, 3, 32, 32] }]) {
      expect(await errorCode(q({ calibration: c }))).toBe('INVALID_ARGUMENT');
    }
    await expect(q({ calibration: calibration[0] })).rejects.toThrow(/wrap it in an array/);
  });

  it('samples must be a positive integer when given (NaN is not "all")', async () => {
    for (const samples of [NaN, 0, -1, 1.5, Infinity, '2']) expect(await errorCode(q({ samples }))).toBe('INVALID_ARGUMENT');
    expect((await q({ samples: 1 })).info.samples).toBe(1);
    expect((await q({ samples: null })).info.samples).toBe(2); // null, like undefined, means "not given"
  });

  it('method and percentile are checked; percentile whatever the method', async () => {
    for (const method of ['bogus', 'MinMax', 42]) expect(await errorCode(q({ method }))).toBe('INVALID_ARGUMENT');
    for (const percentile of [NaN, 20, 101, '99.9']) {
      expect(await errorCode(q({ percentile, method: 'percentile' }))).toBe('INVALID_ARGUMENT');
      expect(await errorCode(q({ percentile, method: 'minmax' }))).toBe('INVALID_ARGUMENT');
    }
  });

  it('unknown keys are INVALID_ARGUMENT with a hint, as in load()', async () => {
    const e = await q({ sample: 4 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ResNetEdgeError);
    expect((e as ResNetEdgeError).code).toBe('INVALID_ARGUMENT');
    expect((e as ResNetEdgeError).message).toMatch(/Unknown quantize\(\) option "sample" \(did you mean "samples"\?\)/);
  });

  it('excludeNodes must be an array of names the model has', async () => {
    for (const excludeNodes of ['/fc/Gemm', [42], { 0: '/fc/Gemm' }]) expect(await errorCode(q({ excludeNodes }))).toBe('INVALID_ARGUMENT');
    await expect(q({ excludeNodes: ['/fc/Gemm', '/fc/Gem'] })).rejects.toThrow(/"\/fc\/Gem"/);
    // By node name or by first output name.
    const r = await q({ excludeNodes: ['/fc/Gemm', '/block/c2/Conv_output_0'] });
    expect(r.info.floatNodes).toMatchObject({ Gemm: 1, Conv: 1 });
  });

  it('onProgress and signal must have the right types', async () => {
    expect(await errorCode(q({ onProgress: 'log' }))).toBe('INVALID_ARGUMENT');
    expect(await errorCode(q({ signal: 'stop' }))).toBe('INVALID_ARGUMENT');
  });

  it('an aborted signal is ABORTED, before the model is read and between batches', async () => {
    const c = new AbortController();
    c.abort();
    expect(await errorCode(quantize({ model: new Uint8Array([1, 2, 3]), calibration, signal: c.signal }))).toBe('ABORTED');
    const late = new AbortController();
    const run = quantize({ model: tiny, calibration: randomInputs(4, [1, 3, 32, 32], 2), signal: late.signal, onProgress: () => late.abort() });
    expect(await errorCode(run)).toBe('ABORTED');
  });
});
