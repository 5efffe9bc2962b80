import { describe, expect, it } from 'vitest';
import { runQ8Op, testEngines } from '../../../testing/q8-test-harness.js';
import { CONV_CASES, makeConvCase } from './cases.js';
import { convQ8Ref } from './reference.js';

describe('int8 conv kernel (wasm) vs TS reference', async () => {
  for (const { name, engine } of await testEngines()) {
    for (const c of CONV_CASES) {
      it(`${name}: ${c.name}`, async () => {
        const e = await engine();
        const { op, inShape, outShape, x } = makeConvCase(c);
        const want = convQ8Ref({ op, x, inShape, outShape });
        const { outputs } = runQ8Op({ engine: e, op, shapes: [inShape, outShape], inputs: { 0: x }, f32Outputs: c.f32 ? [1] : [] });
        expect(Array.from(outputs[1])).toEqual(Array.from(want));
        // The test data must exercise requantization, not just saturate.
        if (!c.big) expect(new Set(want).size).toBeGreaterThan(8);
      });
    }
  }

  it('a conv with int16 weights (PlanConv.weights16) runs the host reference and writes its int8 output back', async () => {
    const { op, inShape, outShape, x } = makeConvCase(CONV_CASES[2]);
    const weights16 = Int16Array.from(op.weights, (w, i) => (i % 5 === 0 ? w * 2 : w));
    const wide = { ...op, weights: new Int8Array(0), weights16 };
    const want = convQ8Ref({ op: wide, x, inShape, outShape });
    const { outputs } = runQ8Op({ engine: await (await testEngines())[0].engine(), op: wide, shapes: [inShape, outShape], inputs: { 0: x } });
    expect(Array.from(outputs[1])).toEqual(Array.from(want));
    expect(new Set(want).size).toBeGreaterThan(8);
  });
});
