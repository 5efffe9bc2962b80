import { describe, expect, it } from 'vitest';
import { hasSwiftShader } from '../../../testing/dawn-test-setup.js';
import { useTestDevice } from '../../../testing/gpu-test-device.js';
import { runQ8OpGpu } from '../../../testing/wgsl-test-harness.js';
import { ADD_CASES, makeAddCase } from './cases.js';
import { addQ8Ref } from './reference.js';

describe.skipIf(!hasSwiftShader)('int8 add WGSL kernel vs TS reference', () => {
  const gpu = useTestDevice();
  for (const c of ADD_CASES) {
    it(c.name, async () => {
      const { op, a, b } = makeAddCase(c);
      const want = addQ8Ref({ op, a, b });
      expect(new Set(want).size).toBeGreaterThan(8);
      const { outputs, exec } = await runQ8OpGpu({ device: gpu.device, packed: gpu.packed, op, shapes: [c.shape, c.shape, c.shape], inputs: { 0: a, 1: b } });
      exec.destroy();
      expect(Array.from(outputs[2])).toEqual(Array.from(want));
    });
  }
});
