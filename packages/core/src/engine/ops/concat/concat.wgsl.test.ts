import { describe, expect, it } from 'vitest';
import { hasSwiftShader } from '../../../testing/dawn-test-setup.js';
import { useTestDevice } from '../../../testing/gpu-test-device.js';
import { runQ8OpGpu } from '../../../testing/wgsl-test-harness.js';
import { CONCAT_CASES, makeConcatCase } from './cases.js';
import { concatQ8Ref } from './reference.js';

describe.skipIf(!hasSwiftShader)('int8 channel concat WGSL kernel vs TS reference', () => {
  const gpu = useTestDevice();
  for (const c of CONCAT_CASES) {
    it(c.name, async () => {
      const { op, shapes, inputs } = makeConcatCase(c);
      const { outputs, exec } = await runQ8OpGpu({ device: gpu.device, packed: gpu.packed, op, shapes, inputs: Object.fromEntries(inputs.map((x, i) => [i, x])) });
      exec.destroy();
      expect(Array.from(outputs[op.output])).toEqual(Array.from(concatQ8Ref({ op, inputs, inShapes: shapes.slice(0, -1) })));
    });
  }
});
