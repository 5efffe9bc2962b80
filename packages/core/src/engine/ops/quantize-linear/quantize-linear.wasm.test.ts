import { describe, expect, it } from 'vitest';
import { PlanExecutor } from '../../exec/wasm/executor.js';
import type { Plan } from '../../plan/types.js';
import { quantizeRef } from './reference.js';
import { testEngines } from '../../../testing/q8-test-harness.js';

describe('QuantizeLinear kernel (wasm) vs TS reference', async () => {
  for (const { name, engine } of await testEngines()) {
    it(`${name}: ties round to even, saturates, NaN -> zero point, NHWC padding`, async () => {
      const shape = [2, 3, 5, 3];
      const n = 90;
      const x = Float32Array.from({ length: n }, (_, i) => (i - 45) * 0.25 * (i % 7 === 0 ? 40 : 1));
      x[3] = 0.125; // exactly 12.5 steps -> 12
      x[4] = 0.135; // 13.5 steps -> 14
      x[5] = NaN;
      const scale = 0.01, zeroPoint = -3;
      const plan: Plan = {
        tensors: [
          { id: 0, name: 'x', dtype: 'f32', shape },
          { id: 1, name: 'q', dtype: 'q8', shape, srcType: 'int8', scale, zeroPoint },
        ],
        ops: [{ op: 'quantize', name: 'q', input: 0, output: 1, scale, zeroPoint }],
        inputs: [{ name: 'x', tensor: 0 }], outputs: [{ name: 'q', tensor: 1 }], format: 'qdq', lastUse: [0, 1],
      };
      const exec = new PlanExecutor(plan, await engine());
      const got = exec.run({ x: { data: x, dims: shape } }).q.data;
      expect(Array.from(got)).toEqual(Array.from(quantizeRef({ x, scale, zeroPoint })));
      expect(got[3]).toBe(9); // 12.5 -> 12 (half to even), + zero point
      expect(got[4]).toBe(11);
      expect(got[5]).toBe(-3);
    });
  }
});
