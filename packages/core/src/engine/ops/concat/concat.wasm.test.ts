import { describe, expect, it } from 'vitest';
import { runQ8Op, testEngines } from '../../../testing/q8-test-harness.js';
import { CONCAT_CASES, makeConcatCase } from './cases.js';
import { concatQ8Ref } from './reference.js';

describe('int8 channel concat kernel (wasm) vs TS reference', async () => {
  for (const { name, engine } of await testEngines()) {
    for (const c of CONCAT_CASES) {
      it(`${name}: ${c.name}`, async () => {
        const { op, shapes, inputs } = makeConcatCase(c);
        const { outputs } = runQ8Op({ engine: await engine(), op, shapes, inputs: Object.fromEntries(inputs.map((x, i) => [i, x])) });
        expect(Array.from(outputs[op.output])).toEqual(Array.from(concatQ8Ref({ op, inputs, inShapes: shapes.slice(0, -1) })));
      });
    }
  }
});
