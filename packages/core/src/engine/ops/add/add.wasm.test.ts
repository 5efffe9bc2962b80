import { describe, expect, it } from 'vitest';
import type { PlanAdd } from '../../plan/types.js';
import { addQ8Ref } from './reference.js';
import { randomInt8, runQ8Op, testEngines } from '../../../testing/q8-test-harness.js';

describe('int8 add kernel (wasm) vs TS reference', async () => {
  for (const { name, engine } of await testEngines()) {
    for (const relu of [false, true]) {
      it(`${name}: add${relu ? ' + relu' : ''} on [2, 20, 5, 3] (padded channels)`, async () => {
        const e = await engine();
        const shape = [2, 20, 5, 3];
        const n = shape.reduce((a, b) => a * b, 1);
        const a = randomInt8(n, 7), b = randomInt8(n, 8);
        const op: PlanAdd = { op: 'add', name: 'add', a: 0, b: 1, output: 2, ra: 0.37, rb: 0.61, za: -3, zb: 9, zc: -20, lo: relu ? -20 : -128, hi: 127 };
        const want = addQ8Ref({ op, a, b });
        const { outputs } = runQ8Op({ engine: e, op, shapes: [shape, shape, shape], inputs: { 0: a, 1: b } });
        expect(Array.from(outputs[2])).toEqual(Array.from(want));
      });
    }
  }
});
