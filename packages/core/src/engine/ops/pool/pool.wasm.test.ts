import { describe, expect, it } from 'vitest';
import type { PlanGlobalAvgPool, PlanPool } from '../../plan/types.js';
import { gapQ8Ref, poolQ8Ref } from './reference.js';
import { randomInt8, runQ8Op, testEngines } from '../../../testing/q8-test-harness.js';

function pool(kind: 'maxpool' | 'avgpool', k: number, s: number, p: number, countIncludePad = false): PlanPool {
  return {
    op: kind, name: kind, input: 0, output: 1, kernel: [k, k], strides: [s, s], pads: [p, p, p, p], dilations: [1, 1],
    countIncludePad, inZeroPoint: -7, outZeroPoint: 4, scale: 0.83,
  };
}

describe('int8 pooling kernels (wasm) vs TS reference', async () => {
  for (const { name, engine } of await testEngines()) {
    const configs: [string, PlanPool][] = [
      ['maxpool 3x3 s2 p1 (ResNet stem)', pool('maxpool', 3, 2, 1)],
      ['maxpool 2x2 s2', pool('maxpool', 2, 2, 0)],
      ['avgpool 3x3 s1 p1 exclude pad', pool('avgpool', 3, 1, 1)],
      ['avgpool 3x3 s2 p1 include pad', pool('avgpool', 3, 2, 1, true)],
      ['avgpool 3x3 s2 p0 include pad, ceil-mode overhang', { ...pool('avgpool', 3, 2, 0, true), ceil: true } as PlanPool],
    ];
    for (const [label, op] of configs) {
      it(`${name}: ${label}`, async () => {
        const e = await engine();
        const inShape = [1, 19, 9, 8];
        const [H, W] = [9, 8], [k, s, p] = [op.kernel[0], op.strides[0], op.pads[0]];
        const r = (op as { ceil?: boolean }).ceil ? Math.ceil : Math.floor;
        const outShape = [1, 19, r((H + 2 * p - k) / s) + 1, r((W + 2 * p - k) / s) + 1];
        const x = randomInt8(19 * H * W, 3);
        const want = poolQ8Ref({ op, x, inShape, outShape });
        const { outputs } = runQ8Op({ engine: e, op, shapes: [inShape, outShape], inputs: { 0: x } });
        expect(Array.from(outputs[1])).toEqual(Array.from(want));
      });
    }
    it(`${name}: global average pool`, async () => {
      const e = await engine();
      const inShape = [2, 33, 7, 7];
      const x = randomInt8(2 * 33 * 49, 5);
      const op: PlanGlobalAvgPool = { op: 'gap', name: 'gap', input: 0, output: 1, inZeroPoint: -3, outZeroPoint: 2, multiplier: Math.fround(1.3 / 49) };
      const want = gapQ8Ref({ op, x, inShape });
      const { outputs } = runQ8Op({ engine: e, op, shapes: [inShape, [2, 33, 1, 1]], inputs: { 0: x } });
      expect(Array.from(outputs[1])).toEqual(Array.from(want));
    });
  }
});
