import { describe, expect, it } from 'vitest';
import type { PlanConcat } from '../../plan/types.js';
import { randomInt8 } from '../../../testing/q8-test-harness.js';
import { hasSwiftShader } from '../../../testing/dawn-test-setup.js';
import { useTestDevice } from '../../../testing/gpu-test-device.js';
import { runQ8OpGpu } from '../../../testing/wgsl-test-harness.js';

/** NCHW channel concat (the reference is plain indexing). */
function concatRef(parts: Int8Array[], Cs: number[], N: number, HW: number): Int8Array {
  const C = Cs.reduce((a, b) => a + b, 0), out = new Int8Array(N * C * HW);
  for (let n = 0; n < N; n++) {
    let off = 0;
    parts.forEach((p, i) => {
      out.set(p.subarray(n * Cs[i] * HW, (n + 1) * Cs[i] * HW), (n * C + off) * HW);
      off += Cs[i];
    });
  }
  return out;
}

describe.skipIf(!hasSwiftShader)('int8 channel concat WGSL kernel', () => {
  const gpu = useTestDevice();
  it('three inputs at unaligned channel offsets, batch 2', async () => {
    const Cs = [3, 6, 5], N = 2, H = 4, W = 5;
    const parts = Cs.map((c, i) => randomInt8(N * c * H * W, 40 + i));
    const op: PlanConcat = { op: 'concat', name: 'cat', inputs: [0, 1, 2], output: 3 };
    const shapes = [...Cs.map((c) => [N, c, H, W]), [N, 14, H, W]];
    const { outputs, exec } = await runQ8OpGpu({ device: gpu.device, packed: gpu.packed, op, shapes, inputs: { 0: parts[0], 1: parts[1], 2: parts[2] } });
    exec.destroy();
    expect(Array.from(outputs[3])).toEqual(Array.from(concatRef(parts, Cs, N, H * W)));
  });
});
