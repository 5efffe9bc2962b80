import { describe, expect, it } from 'vitest';
import { runQ8Op, testEngines } from '../../../testing/q8-test-harness.js';
import { PAD_CASES, makePadCase } from './cases.js';
import { padNd, resolvePads } from './reference.js';

describe('int8 constant pad (wasm) vs TS reference', async () => {
  for (const { name, engine } of await testEngines()) {
    for (const c of PAD_CASES) {
      it(`${name}: ${c.name}`, async () => {
        const { op, shapes, x } = makePadCase(c);
        const want = padNd(x, c.shape, { begin: c.begin, end: c.end }, 'constant', c.value);
        const { outputs } = runQ8Op({ engine: await engine(), op, shapes, inputs: { 0: x } });
        expect(Array.from(outputs[1])).toEqual(Array.from(want));
      });
    }
  }
});

describe('Pad reference', () => {
  const x = Float32Array.from([1, 2, 3]);
  it('constant, edge, reflect, wrap and negative (cropping) pads', () => {
    const p = { begin: [2], end: [2] };
    expect(Array.from(padNd(x, [3], p, 'constant', 9))).toEqual([9, 9, 1, 2, 3, 9, 9]);
    expect(Array.from(padNd(x, [3], p, 'edge', 0))).toEqual([1, 1, 1, 2, 3, 3, 3]);
    expect(Array.from(padNd(x, [3], p, 'reflect', 0))).toEqual([3, 2, 1, 2, 3, 2, 1]);
    expect(Array.from(padNd(x, [3], p, 'wrap', 0))).toEqual([2, 3, 1, 2, 3, 1, 2]);
    expect(Array.from(padNd(x, [3], { begin: [-1], end: [1] }, 'constant', 0))).toEqual([2, 3, 0]);
  });
  it('resolves ONNX pads with and without axes', () => {
    expect(resolvePads(4, [0, 4, 0, 0, 0, 4, 0, 0])).toEqual({ begin: [0, 4, 0, 0], end: [0, 4, 0, 0] });
    expect(resolvePads(4, [1, 2, 3, 4], [-1, 1])).toEqual({ begin: [0, 2, 0, 1], end: [0, 4, 0, 3] });
    expect(resolvePads(4, [1, 2])).toBeUndefined();
  });
});
