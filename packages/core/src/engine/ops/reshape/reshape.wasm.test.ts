import { describe, expect, it } from 'vitest';
import { runQ8Op, testEngines } from '../../../testing/q8-test-harness.js';
import { randomInt8 } from '../../../testing/random.js';
import type { PlanReshape } from '../../plan/types.js';

// Reshape keeps logical NCHW order, so the NCHW values must come back unchanged whatever the NHWC layouts are.
describe('int8 reshape on the wasm engine keeps NCHW order', async () => {
  const [{ engine }] = await testEngines();
  const op: PlanReshape = { op: 'reshape', name: 'r', input: 0, output: 1 };
  const cases: [string, number[], number[]][] = [
    ['Flatten of a spatial tensor ([2, 5, 3, 4] -> [2, 60])', [2, 5, 3, 4], [2, 60]],
    ['[N, C] -> [N, C, 1, 1] (plain copy of the padded rows)', [3, 20], [3, 20, 1, 1]],
    ['channels to space ([1, 32, 1, 1] -> [1, 2, 4, 4])', [1, 32, 1, 1], [1, 2, 4, 4]],
  ];
  for (const [name, from, to] of cases) {
    it(name, async () => {
      const x = randomInt8(from.reduce((a, b) => a * b, 1), 21);
      const { outputs } = runQ8Op({ engine: await engine(), op, shapes: [from, to], inputs: { 0: x } });
      expect(Array.from(outputs[1])).toEqual(Array.from(x));
    });
  }
});
