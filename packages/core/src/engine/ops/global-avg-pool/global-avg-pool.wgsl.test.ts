import { describe, expect, it } from 'vitest';
import { hasSwiftShader } from '../../../testing/dawn-test-setup.js';
import { useTestDevice } from '../../../testing/gpu-test-device.js';
import { runQ8OpGpu } from '../../../testing/wgsl-test-harness.js';
import { GLOBAL_AVG_POOL_CASES, makeGlobalAvgPoolCase } from './cases.js';
import { gapQ8Ref } from './reference.js';

describe.skipIf(!hasSwiftShader)('int8 GlobalAveragePool WGSL kernel vs TS reference', () => {
  const gpu = useTestDevice();
  for (const c of GLOBAL_AVG_POOL_CASES) {
    it(c.name, async () => {
      const { op, outShape, x } = makeGlobalAvgPoolCase(c);
      const want = gapQ8Ref({ op, x, inShape: c.shape });
      expect(new Set(want).size).toBeGreaterThan(8);
      const { outputs, exec } = await runQ8OpGpu({ device: gpu.device, packed: gpu.packed, op, shapes: [c.shape, outShape], inputs: { 0: x } });
      exec.destroy();
      expect(Array.from(outputs[1])).toEqual(Array.from(want));
    });
  }
});
