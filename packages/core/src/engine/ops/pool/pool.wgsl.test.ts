import { describe, expect, it } from 'vitest';
import { hasSwiftShader } from '../../../testing/dawn-test-setup.js';
import { useTestDevice } from '../../../testing/gpu-test-device.js';
import { runQ8OpGpu } from '../../../testing/wgsl-test-harness.js';
import { makePoolCase, POOL_CASES } from './cases.js';
import { poolQ8Ref } from './reference.js';

describe.skipIf(!hasSwiftShader)('int8 pooling WGSL kernel vs TS reference', () => {
  const gpu = useTestDevice();
  for (const c of POOL_CASES) {
    it(c.name, async () => {
      const { op, inShape, outShape, x } = makePoolCase(c);
      const want = poolQ8Ref({ op, x, inShape, outShape });
      expect(new Set(want).size).toBeGreaterThan(8);
      const { outputs, exec } = await runQ8OpGpu({ device: gpu.device, packed: gpu.packed, op, shapes: [inShape, outShape], inputs: { 0: x } });
      exec.destroy();
      expect(Array.from(outputs[1])).toEqual(Array.from(want));
    });
  }
});
