import { describe, expect, it } from 'vitest';
import type { PlanGlobalAvgPool } from '../../plan/types.js';
import { gapQ8Ref } from '../pool/reference.js';
import { randomInt8 } from '../../../testing/q8-test-harness.js';
import { hasSwiftShader } from '../../../testing/dawn-test-setup.js';
import { useTestDevice } from '../../../testing/gpu-test-device.js';
import { runQ8OpGpu } from '../../../testing/wgsl-test-harness.js';

describe.skipIf(!hasSwiftShader)('int8 GlobalAveragePool WGSL kernel vs TS reference', () => {
  const gpu = useTestDevice();
  it('batch 3, 7x7, C not a multiple of 4', async () => {
    const op: PlanGlobalAvgPool = { op: 'gap', name: 'gap', input: 0, output: 1, inZeroPoint: -4, outZeroPoint: 6, multiplier: Math.fround(2.3 / 49) };
    const inShape = [3, 70, 7, 7], outShape = [3, 70, 1, 1];
    const x = randomInt8(inShape.reduce((a, b) => a * b, 1), 5);
    const want = gapQ8Ref({ op, x, inShape });
    expect(new Set(want).size).toBeGreaterThan(8);
    const { outputs, exec } = await runQ8OpGpu({ device: gpu.device, packed: gpu.packed, op, shapes: [inShape, outShape], inputs: { 0: x } });
    exec.destroy();
    expect(Array.from(outputs[1])).toEqual(Array.from(want));
  });
});
