import { describe, expect, it } from 'vitest';
import { PlanExecutor } from '../../exec/wasm/executor.js';
import type { Plan } from '../../plan/types.js';
import { testEngines } from '../../../testing/q8-test-harness.js';
import { QUANTIZE_LINEAR_CASES } from './cases.js';
import { quantizeRef } from './reference.js';

describe('QuantizeLinear kernel (wasm) vs TS reference', async () => {
  for (const { name, engine } of await testEngines()) {
    for (const c of QUANTIZE_LINEAR_CASES) {
      it(`${name}: ${c.name}`, async () => {
        const { shape, x, scale, zeroPoint } = c;
        const plan: Plan = {
          tensors: [
            { id: 0, name: 'x', dtype: 'f32', shape },
            { id: 1, name: 'q', dtype: 'q8', shape, srcType: 'int8', scale, zeroPoint },
          ],
          ops: [{ op: 'quantize', name: 'q', input: 0, output: 1, scale, zeroPoint }],
          inputs: [{ name: 'x', tensor: 0 }], outputs: [{ name: 'q', tensor: 1 }], format: 'qdq', lastUse: [0, 1],
        };
        const got = new PlanExecutor(plan, await engine()).run({ x: { data: x, dims: shape } }).q.data;
        expect(Array.from(got)).toEqual(Array.from(quantizeRef({ x, scale, zeroPoint })));
        expect(got[3]).toBe(9); // 12.5 -> 12 (half to even), + zero point
        expect(got[4]).toBe(11);
        expect(got[5]).toBe(-3);
      });
    }
  }
});
