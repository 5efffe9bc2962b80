import { describe, expect, it } from 'vitest';
import { runQ8Op, testEngines } from '../../../testing/q8-test-harness.js';
import { ADD_CASES, makeAddCase } from './cases.js';
import { addQ8Ref } from './reference.js';

describe('int8 add kernel (wasm) vs TS reference', async () => {
  for (const { name, engine } of await testEngines()) {
    for (const c of ADD_CASES) {
      it(`${name}: ${c.name}`, async () => {
        const { op, a, b } = makeAddCase(c);
        const want = addQ8Ref({ op, a, b });
        expect(new Set(want).size).toBeGreaterThan(8);
        const { outputs } = runQ8Op({ engine: await engine(), op, shapes: [c.shape, c.shape, c.shape], inputs: { 0: a, 1: b } });
        expect(Array.from(outputs[2])).toEqual(Array.from(want));
      });
    }
  }
});
