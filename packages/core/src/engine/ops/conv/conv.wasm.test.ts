import { describe, expect, it } from 'vitest';
import type { PlanConv } from '../../plan/types.js';
import { convQ8Ref } from './reference.js';
import { randomInt8, runQ8Op, testEngines } from '../../../testing/q8-test-harness.js';

interface Case {
  name: string;
  N?: number; C: number; H: number; W: number; OC: number; k: number; s?: number; p?: number; d?: number; g?: number; relu?: boolean; gemm?: boolean; w128?: boolean; f32?: boolean;
}

const cases: Case[] = [
  { name: '1x1 direct', C: 32, H: 5, W: 7, OC: 24 },
  { name: '1x1 stride 2 (downsample)', C: 16, H: 8, W: 8, OC: 32, k: 1, s: 2 } as Case,
  { name: '3x3 pad 1 relu', C: 16, H: 9, W: 6, OC: 20, k: 3, p: 1, relu: true },
  { name: '3x3 stride 2, C not a multiple of 16', C: 5, H: 11, W: 10, OC: 7, k: 3, s: 2, p: 1 },
  { name: '7x7 stem stride 2 pad 3', C: 3, H: 20, W: 18, OC: 16, k: 7, s: 2, p: 3 },
  { name: 'dilated 3x3', C: 8, H: 10, W: 10, OC: 8, k: 3, p: 2, d: 2 },
  { name: 'grouped', C: 12, H: 6, W: 6, OC: 18, k: 3, p: 1, g: 3 },
  { name: 'depthwise', C: 17, H: 6, W: 5, OC: 17, k: 3, p: 1, g: 17 },
  { name: 'batch 2, weights include -128', N: 2, C: 16, H: 4, W: 4, OC: 9, k: 3, p: 1, w128: true },
  { name: 'gemm [N, K]', N: 3, C: 70, H: 1, W: 1, OC: 10, k: 1, gemm: true },
  { name: 'gemm with float output (classifier head)', N: 3, C: 70, H: 1, W: 1, OC: 10, k: 1, gemm: true, f32: true },
].map((c) => ({ k: 1, ...c }));

function makeCase(c: Case, seed: number) {
  const N = c.N ?? 1, s = c.s ?? 1, p = c.p ?? 0, d = c.d ?? 1, g = c.g ?? 1;
  const OH = Math.floor((c.H + 2 * p - (c.k - 1) * d - 1) / s) + 1, OW = Math.floor((c.W + 2 * p - (c.k - 1) * d - 1) / s) + 1;
  const K = c.k * c.k * (c.C / g);
  const weights = randomInt8(c.OC * K, seed, c.w128 ? -128 : -127, 127);
  const op: PlanConv = {
    op: 'conv', name: c.name, input: 0, output: 1, C: c.C, OC: c.OC, group: g, kernel: [c.k, c.k], strides: [s, s],
    pads: [p, p, p, p], dilations: [d, d], weights,
    bias: Int32Array.from({ length: c.OC }, (_, i) => (i * 977) % 4000 - 2000),
    multiplier: Float32Array.from({ length: c.OC }, (_, i) => 1 / (200 + 37 * i)),
    inZeroPoint: 3, outZeroPoint: -5, lo: c.relu ? -5 : -128, hi: 127, ...(c.f32 ? { outputF32: true } : {}),
  };
  const inShape = c.gemm ? [N, c.C] : [N, c.C, c.H, c.W];
  const outShape = c.gemm ? [N, c.OC] : [N, c.OC, OH, OW];
  return { op, inShape, outShape, x: randomInt8(inShape.reduce((a, b) => a * b, 1), seed + 1) };
}

describe('int8 conv kernel (wasm) vs TS reference', async () => {
  for (const { name, engine } of await testEngines()) {
    for (const c of cases) {
      it(`${name}: ${c.name}`, async () => {
        const e = await engine();
        const { op, inShape, outShape, x } = makeCase(c, c.name.length * 31);
        const want = convQ8Ref({ op, x, inShape, outShape });
        const { outputs } = runQ8Op({ engine: e, op, shapes: [inShape, outShape], inputs: { 0: x }, f32Outputs: c.f32 ? [1] : [] });
        expect(Array.from(outputs[1])).toEqual(Array.from(want));
        // The test data must exercise requantization, not just saturate.
        expect(new Set(want).size).toBeGreaterThan(8);
      });
    }
  }
});
