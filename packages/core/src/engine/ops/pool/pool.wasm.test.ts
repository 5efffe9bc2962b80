import { describe, expect, it } from 'vitest';
import { runQ8Op, testEngines } from '../../../testing/q8-test-harness.js';
import { makePoolCase, POOL_CASES } from './cases.js';
import { poolQ8Ref } from './reference.js';

describe('int8 pooling kernels (wasm) vs TS reference', async () => {
  for (const { name, engine } of await testEngines()) {
    for (const c of POOL_CASES) {
      it(`${name}: ${c.name}`, async () => {
        const { op, inShape, outShape, x } = makePoolCase(c);
        const want = poolQ8Ref({ op, x, inShape, outShape });
        const { outputs } = runQ8Op({ engine: await engine(), op, shapes: [inShape, outShape], inputs: { 0: x } });
        expect(Array.from(outputs[1])).toEqual(Array.from(want));
      });
    }
  }
});
