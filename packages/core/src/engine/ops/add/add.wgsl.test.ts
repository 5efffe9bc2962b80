import { describe, expect, it } from 'vitest';
import type { PlanAdd } from '../../plan/types.js';
import { addQ8Ref } from './reference.js';
import { randomInt8 } from '../../../testing/q8-test-harness.js';
import { hasSwiftShader } from '../../../testing/dawn-test-setup.js';
import { useTestDevice } from '../../../testing/gpu-test-device.js';
import { runQ8OpGpu } from '../../../testing/wgsl-test-harness.js';

describe.skipIf(!hasSwiftShader)('int8 add WGSL kernel vs TS reference', () => {
  const gpu = useTestDevice();
  const cases: { name: string; shape: number[]; op: Partial<PlanAdd> }[] = [
    { name: 'residual add + relu, C not a multiple of 4', shape: [2, 6, 5, 7], op: { ra: 0.73, rb: 1.31, za: 4, zb: -9, zc: -20, lo: -20, hi: 127 } },
    { name: 'ties: ra = rb = 0.5', shape: [1, 16, 8, 8], op: { ra: 0.5, rb: 0.5, za: 0, zb: 1, zc: 0, lo: -128, hi: 127 } },
    { name: 'odd scales (fused multiply-add would change the rounding)', shape: [1, 32, 9, 9], op: { ra: Math.fround(0.1), rb: Math.fround(0.3), za: -3, zb: 2, zc: 5, lo: -128, hi: 127 } },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const op = { op: 'add', name: c.name, a: 0, b: 1, output: 2, ...c.op } as PlanAdd;
      const n = c.shape.reduce((p, d) => p * d, 1);
      const a = randomInt8(n, 11), b = randomInt8(n, 12);
      const want = addQ8Ref({ op, a, b });
      expect(new Set(want).size).toBeGreaterThan(8);
      const { outputs, exec } = await runQ8OpGpu({ device: gpu.device, packed: gpu.packed, op, shapes: [c.shape, c.shape, c.shape], inputs: { 0: a, 1: b } });
      exec.destroy();
      expect(Array.from(outputs[2])).toEqual(Array.from(want));
    });
  }
});
