import { describe, expect, it } from 'vitest';
import { runQ8Op, testEngines } from '../../../testing/q8-test-harness.js';
import { GLOBAL_AVG_POOL_CASES, makeGlobalAvgPoolCase } from './cases.js';
import { gapQ8Ref } from './reference.js';

describe('int8 GlobalAveragePool kernel (wasm) vs TS reference', async () => {
  for (const { name, engine } of await testEngines()) {
    for (const c of GLOBAL_AVG_POOL_CASES) {
      it(`${name}: ${c.name}`, async () => {
        const { op, outShape, x } = makeGlobalAvgPoolCase(c);
        const want = gapQ8Ref({ op, x, inShape: c.shape });
        expect(new Set(want).size).toBeGreaterThan(8);
        const { outputs } = runQ8Op({ engine: await engine(), op, shapes: [c.shape, outShape], inputs: { 0: x } });
        expect(Array.from(outputs[1])).toEqual(Array.from(want));
      });
    }
  }
});
