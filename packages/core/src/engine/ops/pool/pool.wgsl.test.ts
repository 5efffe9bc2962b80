import { describe, expect, it } from 'vitest';
import type { PlanPool } from '../../plan/types.js';
import { poolQ8Ref } from './reference.js';
import { randomInt8 } from '../../../testing/q8-test-harness.js';
import { hasSwiftShader } from '../../../testing/dawn-test-setup.js';
import { useTestDevice } from '../../../testing/gpu-test-device.js';
import { runQ8OpGpu } from '../../../testing/wgsl-test-harness.js';

const out = (n: number, k: number, s: number, p: number, d = 1) => Math.floor((n + 2 * p - (k - 1) * d - 1) / s) + 1;

describe.skipIf(!hasSwiftShader)('int8 pooling WGSL kernel vs TS reference', () => {
  const gpu = useTestDevice();
  const cases: { name: string; kind: 'maxpool' | 'avgpool'; N: number; C: number; H: number; W: number; k: number; s: number; p: number; d?: number; inc?: boolean }[] = [
    { name: 'maxpool 3x3 s2 p1 (ResNet stem)', kind: 'maxpool', N: 2, C: 6, H: 11, W: 9, k: 3, s: 2, p: 1 },
    { name: 'maxpool dilated', kind: 'maxpool', N: 1, C: 8, H: 9, W: 9, k: 2, s: 1, p: 0, d: 2 },
    { name: 'avgpool 3x3 s1 p1, count_include_pad=0', kind: 'avgpool', N: 1, C: 5, H: 7, W: 6, k: 3, s: 1, p: 1 },
    { name: 'avgpool 2x2 s2 p1, count_include_pad=1', kind: 'avgpool', N: 2, C: 8, H: 6, W: 7, k: 2, s: 2, p: 1, inc: true },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const d = c.d ?? 1;
      const op: PlanPool = {
        op: c.kind, name: c.name, input: 0, output: 1, kernel: [c.k, c.k], strides: [c.s, c.s], pads: [c.p, c.p, c.p, c.p],
        dilations: [d, d], countIncludePad: Boolean(c.inc), inZeroPoint: 7, outZeroPoint: -3, scale: 1.37,
      };
      const inShape = [c.N, c.C, c.H, c.W], outShape = [c.N, c.C, out(c.H, c.k, c.s, c.p, d), out(c.W, c.k, c.s, c.p, d)];
      const x = randomInt8(inShape.reduce((a, b) => a * b, 1), c.name.length);
      const want = poolQ8Ref({ op, x, inShape, outShape });
      expect(new Set(want).size).toBeGreaterThan(8);
      const { outputs, exec } = await runQ8OpGpu({ device: gpu.device, packed: gpu.packed, op, shapes: [inShape, outShape], inputs: { 0: x } });
      exec.destroy();
      expect(Array.from(outputs[1])).toEqual(Array.from(want));
    });
  }
});
