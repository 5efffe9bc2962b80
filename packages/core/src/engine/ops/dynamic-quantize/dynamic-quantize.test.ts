import { describe, expect, it } from 'vitest';
import { testEngines } from '../../../testing/q8-test-harness.js';
import { PlanExecutor } from '../../exec/wasm/executor.js';
import type { Plan, PlanDynamicQuantize } from '../../plan/types.js';
import { computeLastUse } from '../../plan/inspect.js';
import { dynamicQuantizeHost, dynamicQuantParams } from './reference.js';

describe('DynamicQuantizeLinear', async () => {
  it('parameters: range extended to 0, f32 scale, zero point rounded half to even and saturated', () => {
    expect(dynamicQuantParams(Float32Array.of(-1, 0.5, 3))).toEqual({ scale: Math.fround(4 / 255), zeroPoint: 64 });
    expect(dynamicQuantParams(Float32Array.of(2, 5))).toEqual({ scale: Math.fround(5 / 255), zeroPoint: 0 });
    expect(dynamicQuantParams(Float32Array.of(-2, -1))).toEqual({ scale: Math.fround(2 / 255), zeroPoint: 255 });
    expect(dynamicQuantParams(new Float32Array(4))).toEqual({ scale: 1, zeroPoint: 0 });
    // scale 1 and 0 - min / scale = 2.5 exactly: half to even gives 2 (half up would give 3).
    expect(dynamicQuantParams(Float32Array.of(-2.5, 252.5))).toEqual({ scale: 1, zeroPoint: 2 });
  });

  for (const { name, engine } of (await testEngines()).filter((e) => !e.name.includes('threads'))) {
    it(`${name}: the wasm kernel (NCHW f32 -> NHWC int8) equals the host kernel, parameters included`, async () => {
      const shape = [2, 19, 4, 5], n = 2 * 19 * 20;
      const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) * 3 + 0.4);
      const op: PlanDynamicQuantize = { op: 'dynquant', name: 'dq', input: 0, output: 1, scale: 2, zeroPoint: 3 };
      const plan: Plan = {
        tensors: [{ id: 0, name: 'x', dtype: 'f32', shape }, { id: 1, name: 'y', dtype: 'q8', shape, srcType: 'uint8' },
          { id: 2, name: 's', dtype: 'f32', shape: [] }, { id: 3, name: 'z', dtype: 'f32', shape: [] }],
        ops: [op], format: 'dynamic', lastUse: computeLastUse([op], 4, [1, 2, 3]),
        inputs: [{ name: 'x', tensor: 0 }], outputs: [{ name: 'y', tensor: 1 }, { name: 's', tensor: 2 }, { name: 'z', tensor: 3 }],
      };
      const got = new PlanExecutor(plan, await engine()).run({ x: { data: x, dims: shape } });
      const values = new Map<number, Float32Array | Int8Array>([[0, x]]);
      dynamicQuantizeHost(op, values, plan.tensors);
      expect(Array.from(got.y.data)).toEqual(Array.from(values.get(1)!, (v) => v + 128));
      expect(got.s.data[0]).toBe(values.get(2)![0]);
      expect(got.z.data[0]).toBe(values.get(3)![0]);
    });
  }
});
