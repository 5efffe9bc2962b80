import { describe, expect, it } from 'vitest';
import { runQ8Op, testEngines } from '../../../testing/q8-test-harness.js';
import { SLICE_CASES, makeSliceCase } from './cases.js';
import { resolveSlice, sliceNd } from './reference.js';

describe('int8 strided slice (wasm) vs TS reference', async () => {
  for (const { name, engine } of await testEngines()) {
    for (const c of SLICE_CASES) {
      it(`${name}: ${c.name}`, async () => {
        const { op, shapes, x } = makeSliceCase(c);
        const want = sliceNd(x, c.shape, { start: op.starts, step: op.steps, out: shapes[1] });
        const { outputs } = runQ8Op({ engine: await engine(), op, shapes, inputs: { 0: x } });
        expect(Array.from(outputs[1])).toEqual(Array.from(want));
      });
    }
  }
});

describe('ONNX Slice resolution', () => {
  it('clamps, counts negative indices from the end and handles INT64_MAX / INT64_MIN ends', () => {
    expect(resolveSlice([10], [-3], [2 ** 63], [0], [1])).toEqual({ start: [7], step: [1], out: [3] });
    expect(resolveSlice([10], [20], [-(2 ** 63)], [0], [-3])).toEqual({ start: [9], step: [-3], out: [4] });
    expect(resolveSlice([4, 6], [1], [1], [-1], [1])!.out).toEqual([4, 0]);
    expect(resolveSlice([4, 6], [0], [1], [2], [1])).toBeUndefined();
    expect(resolveSlice([4, 6], [0], [1], [0], [0])).toBeUndefined();
  });
  it('reference picks the right elements', () => {
    const x = Float32Array.from({ length: 24 }, (_, i) => i);
    expect(Array.from(sliceNd(x, [2, 3, 4], resolveSlice([2, 3, 4], [1, 3], [3, 0], [1, 2], [1, -2])!))).toEqual([7, 5, 11, 9, 19, 17, 23, 21]);
  });
});
