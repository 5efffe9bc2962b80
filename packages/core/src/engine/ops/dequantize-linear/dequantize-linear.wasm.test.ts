import { describe, expect, it } from 'vitest';
import { runQ8Op, testEngines } from '../../../testing/q8-test-harness.js';
import { randomInt8 } from '../../../testing/random.js';
import type { PlanDequantize } from '../../plan/types.js';
import { dequantizeRef } from './reference.js';

describe('DequantizeLinear (host kernel on the wasm executor) vs TS reference', async () => {
  const [{ engine }] = await testEngines();
  it('reads the padded NHWC buffer back in NCHW order', async () => {
    const shape = [2, 19, 3, 5], x = randomInt8(2 * 19 * 15, 9);
    const op: PlanDequantize = { op: 'dequantize', name: 'dq', input: 0, output: 1, scale: 0.037, zeroPoint: -6 };
    const { outputs } = runQ8Op({ engine: await engine(), op, shapes: [shape, shape], inputs: { 0: x }, f32Outputs: [1] });
    const want = dequantizeRef({ q: x, scale: op.scale, zeroPoint: op.zeroPoint });
    expect(Array.from(outputs[1])).toEqual(Array.from(want));
    expect(want[0]).toBe(Math.fround(Math.fround(0.037) * (x[0] + 6)));
  });
});
