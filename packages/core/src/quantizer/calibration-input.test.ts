import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ResNetEdgeError } from '../errors.js';
import { errorCode } from '../testing/error-code.js';
import { checkSample, type FedInput } from './calibration-input.js';
import { quantize } from './quantize.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../../test-fixtures/quantize');
const tiny = new Uint8Array(readFileSync(join(fixtures, 'tiny-op13.onnx'))); // input [N, 3, 32, 32]
const one: FedInput[] = [{ name: 'input', dims: [undefined, 3, 32, 32] }];
const sample = (fill = 0.5, dims = [1, 3, 32, 32]) => ({ data: new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(fill), dims });

/** The ResNetEdgeError `f` throws. */
function thrown(f: () => unknown): ResNetEdgeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ResNetEdgeError);
    return e as ResNetEdgeError;
  }
  throw new Error('did not throw');
}

describe('checkSample', () => {
  it('accepts a bare tensor for a single-input model and feeds by name for any model', () => {
    const t = sample();
    expect(checkSample(t, 0, one)).toEqual({ input: t });
    expect(checkSample({ input: t }, 0, one)).toEqual({ input: t });
    expect(checkSample(sample(0, [4, 3, 32, 32]), 0, one).input.dims[0]).toBe(4); // symbolic batch
    expect(checkSample(sample(0, [2, 5]), 0, [{ name: 'input' }]).input.dims).toEqual([2, 5]); // no declared shape
  });

  it('rejects NaN and ±Infinity with INVALID_TENSOR naming sample and position', () => {
    const t = sample();
    t.data[7] = NaN;
    const e = thrown(() => checkSample(t, 3, one));
    expect(e.code).toBe('INVALID_TENSOR');
    expect(e.message).toMatch(/sample 3 .*NaN.* index 7/);
    expect(e.details).toMatchObject({ sample: 3, index: 7 });
    expect(thrown(() => checkSample(sample(Infinity), 0, one)).code).toBe('INVALID_TENSOR');
    expect(thrown(() => checkSample(sample(-Infinity), 0, one)).code).toBe('INVALID_TENSOR');
  });

  it('rejects data that does not fill its dims, and dims the model does not take, with INVALID_TENSOR', () => {
    const short = thrown(() => checkSample({ data: new Float32Array(10), dims: [1, 3, 32, 32] }, 2, one));
    expect(short.code).toBe('INVALID_TENSOR');
    expect(short.message).toMatch(/sample 2 has 10 values.*need 3072/);
    expect(short.details).toMatchObject({ sample: 2, expected: 3072, actual: 10 });
    const shape = thrown(() => checkSample(sample(0, [1, 3, 28, 28]), 0, one));
    expect(shape.code).toBe('INVALID_TENSOR');
    expect(shape.message).toMatch(/\[1, 3, 28, 28\].*\[\?, 3, 32, 32\]/);
    expect(thrown(() => checkSample(sample(0, [3, 32, 32]), 0, one)).code).toBe('INVALID_TENSOR'); // rank
    expect(thrown(() => checkSample({ data: new Float32Array(0), dims: [0, 3, 32, 32] }, 0, one)).code).toBe('INVALID_TENSOR');
    expect(thrown(() => checkSample({ data: new Float32Array(3072), dims: [1, 3, 32.5, 32] }, 0, one)).code).toBe('INVALID_TENSOR');
  });

  it('rejects non-float32 tensors (INVALID_TENSOR), non-samples and missing inputs (INVALID_ARGUMENT)', () => {
    expect(thrown(() => checkSample({ data: new Int8Array(3072), dims: [1, 3, 32, 32] }, 0, one)).code).toBe('INVALID_TENSOR');
    expect(thrown(() => checkSample({ data: Array(3072).fill(0), dims: [1, 3, 32, 32] }, 0, one)).code).toBe('INVALID_TENSOR');
    expect(thrown(() => checkSample({ input: { data: new Uint8Array(3072), dims: [1, 3, 32, 32] } }, 0, one)).code).toBe('INVALID_TENSOR');
    for (const bad of [42, null, undefined, 'x', [sample()], new Float32Array(3072)]) {
      expect(thrown(() => checkSample(bad, 5, one)).message).toMatch(/sample 5 must be a float32 tensor/);
    }
    const missing = thrown(() => checkSample({ imput: sample() }, 1, one));
    expect([missing.code, missing.message]).toEqual(['INVALID_ARGUMENT', 'calibration sample 1 is missing input "input" (it has imput)']);
    const two: FedInput[] = [{ name: 'a' }, { name: 'b' }];
    expect(thrown(() => checkSample(sample(), 0, two)).message).toMatch(/2 inputs \(a, b\)/);
  });
});

describe('quantize() calibration samples', () => {
  it('non-finite samples are INVALID_TENSOR, not [0, 0] ranges with scale 1', async () => {
    const withNaN = sample();
    withNaN.data[100] = NaN;
    for (const calibration of [[sample(NaN)], [sample(Infinity)], [sample(0.2), withNaN]]) {
      expect(await errorCode(quantize({ model: tiny, calibration, method: 'minmax' }))).toBe('INVALID_TENSOR');
    }
    // Async iterables are checked sample by sample, with the same error.
    async function* stream() {
      yield sample(0.1);
      yield sample(-Infinity);
    }
    const e = await quantize({ model: tiny, calibration: stream(), method: 'minmax' }).catch((x: ResNetEdgeError) => x);
    expect([(e as ResNetEdgeError).code, (e as ResNetEdgeError).details?.sample]).toEqual(['INVALID_TENSOR', 1]);
  });

  it('a sample whose data does not fill its dims is INVALID_TENSOR naming it, before anything runs', async () => {
    let progress = 0;
    const calibration = [sample(0.1), sample(0.2), { data: new Float32Array(10), dims: [1, 3, 32, 32] }];
    const e = await quantize({ model: tiny, calibration, onProgress: () => progress++ }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ResNetEdgeError);
    expect((e as ResNetEdgeError).code).toBe('INVALID_TENSOR');
    expect((e as ResNetEdgeError).message).toBe('calibration sample 2 has 10 values, but its dims [1, 3, 32, 32] need 3072');
    expect(progress).toBe(0); // the array was checked before the first batch ran
  });

  it('progress counts samples along the batch dimension, with an exact total for arrays', async () => {
    const calls: [number, number][] = [];
    const calibration = [sample(0.1, [2, 3, 32, 32]), sample(0.2, [2, 3, 32, 32]), sample(0.3, [2, 3, 32, 32])];
    const r = await quantize({ model: tiny, calibration, method: 'minmax', samples: 3, onProgress: (d, t) => calls.push([d, t]) });
    expect(calls).toEqual([[2, 4], [4, 4]]); // a batch is not split: 3 asked, 4 used
    expect(r.info.samples).toBe(4);
  });
});
