import { describe, expect, it } from 'vitest';
import { runQ8Op, testEngines } from '../../../testing/q8-test-harness.js';
import { randomInt8 } from '../../../testing/random.js';
import type { PlanRequant } from '../../plan/types.js';
import { requantHost, requantTable } from './reference.js';

describe('requantization (DequantizeLinear then QuantizeLinear)', async () => {
  const x = { scale: Math.fround(0.0371), zeroPoint: -5 }, y = { scale: Math.fround(0.05), zeroPoint: -128 };
  const table = requantTable({ x, y });

  it('table is the f32 formula, saturating', () => {
    for (let q = -128; q < 128; q++) {
      const f = Math.fround(Math.fround((q - x.zeroPoint) * x.scale) / y.scale);
      const r = Math.min(127, Math.max(-128, Math.round(f) + y.zeroPoint)); // no exact .5 ties with these scales
      expect(table[q + 128]).toBe(r);
    }
    expect(table[0]).toBe(-128);
  });

  for (const { name, engine } of await testEngines()) {
    it(`${name}: the wasm kernel applies the table over padded NHWC bytes`, async () => {
      const op: PlanRequant = { op: 'requant', name: 'rq', input: 0, output: 1, table };
      const shape = [2, 19, 3, 5], data = randomInt8(2 * 19 * 15, 5);
      const { outputs } = runQ8Op({ engine: await engine(), op, shapes: [shape, shape], inputs: { 0: data } });
      const values = new Map<number, Int8Array | Float32Array>([[0, data]]);
      requantHost(op, values, [{ shape }, { shape }]);
      expect(Array.from(outputs[1])).toEqual(Array.from(values.get(1)!));
    });
  }
});
