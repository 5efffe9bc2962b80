import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanConv } from '../../plan/types.js';
import { convQ8Ref } from './reference.js';
import { randomInt8 } from '../../../testing/q8-test-harness.js';
import { hasSwiftShader, setupDawn } from '../../../testing/dawn-test-setup.js';
import { prepareConvQ8 } from './conv.wgsl.js';
import { hasPackedDot } from '../../webgpu/wgsl-common.js';
import { runQ8OpGpu, shaderVariants } from '../../../testing/wgsl-test-harness.js';

interface Case {
  name: string;
  N?: number; C: number; H: number; W: number; OC: number; k: number; s?: number; p?: number; d?: number; relu?: boolean; gemm?: boolean; f32?: boolean;
  /** Extreme data so |acc| exceeds 2^24 (exercises the exact i32 -> f32 rounding). */
  big?: boolean;
}

const cases: Case[] = [
  { name: '1x1 direct', C: 32, H: 5, W: 7, OC: 24 },
  { name: '1x1 stride 2 (downsample)', C: 16, H: 8, W: 8, OC: 32, k: 1, s: 2 },
  { name: '3x3 pad 1 relu', C: 16, H: 9, W: 6, OC: 20, k: 3, p: 1, relu: true },
  { name: '3x3 stride 2, C and OC not multiples of 4', C: 5, H: 11, W: 10, OC: 7, k: 3, s: 2, p: 1 },
  { name: '7x7 stem stride 2 pad 3', C: 3, H: 20, W: 18, OC: 16, k: 7, s: 2, p: 3 },
  { name: 'dilated 3x3', C: 8, H: 10, W: 10, OC: 8, k: 3, p: 2, d: 2 },
  { name: 'batch 2, more than one tile', N: 2, C: 16, H: 7, W: 7, OC: 40, k: 3, p: 1 },
  { name: 'gemm [N, K]', N: 3, C: 70, H: 1, W: 1, OC: 10, k: 1, gemm: true },
  { name: 'gemm with float output (classifier head)', N: 3, C: 70, H: 1, W: 1, OC: 10, k: 1, gemm: true, f32: true },
  { name: '|acc| > 2^24', C: 512, H: 3, W: 3, OC: 4, k: 3, p: 1, big: true },
].map((c) => ({ k: 1, ...c }));

function makeCase(c: Case, seed: number) {
  const N = c.N ?? 1, s = c.s ?? 1, p = c.p ?? 0, d = c.d ?? 1;
  const OH = Math.floor((c.H + 2 * p - (c.k - 1) * d - 1) / s) + 1, OW = Math.floor((c.W + 2 * p - (c.k - 1) * d - 1) / s) + 1;
  const K = c.k * c.k * c.C;
  const weights = c.big ? Int8Array.from({ length: c.OC * K }, (_, i) => (i % 97 === 0 ? 5 : 127) * (i < K * 2 ? 1 : -1)) : randomInt8(c.OC * K, seed, -128, 127);
  const op: PlanConv = {
    op: 'conv', name: c.name, input: 0, output: 1, C: c.C, OC: c.OC, group: 1, kernel: [c.k, c.k], strides: [s, s],
    pads: [p, p, p, p], dilations: [d, d], weights,
    bias: Int32Array.from({ length: c.OC }, (_, i) => (i * 977) % 4000 - 2000 + (c.big ? i * 12345 : 0)),
    multiplier: Float32Array.from({ length: c.OC }, (_, i) => (c.big ? 1.3e-6 : 1) / (200 + 37 * i)),
    inZeroPoint: c.big ? -128 : 3, outZeroPoint: -5, lo: c.relu ? -5 : -128, hi: 127, ...(c.f32 ? { outputF32: true } : {}),
  };
  const inShape = c.gemm ? [N, c.C] : [N, c.C, c.H, c.W];
  const outShape = c.gemm ? [N, c.OC] : [N, c.OC, OH, OW];
  const n = inShape.reduce((a, b) => a * b, 1);
  const x = c.big ? Int8Array.from({ length: n }, (_, i) => 127 - (i % 3)) : randomInt8(n, seed + 1);
  return { op, inShape, outShape, x };
}

describe.skipIf(!hasSwiftShader)('int8 conv WGSL kernel vs TS reference (Dawn, SwiftShader)', () => {
  let device: GPUDevice, packedSupported = false;
  beforeAll(async () => {
    const gpu = (await setupDawn())!;
    packedSupported = hasPackedDot(gpu);
    device = await (await gpu.requestAdapter())!.requestDevice();
  });
  afterAll(() => device?.destroy());

  it('the adapter exposes packed_4x8_integer_dot_product (so the dot4I8Packed path is tested)', () => {
    expect(packedSupported).toBe(true);
  });

  for (const c of cases) {
    it(c.name, async () => {
      const { op, inShape, outShape, x } = makeCase(c, c.name.length * 31);
      const want = convQ8Ref({ op, x, inShape, outShape });
      if (!c.big) expect(new Set(want).size).toBeGreaterThan(8);
      for (const packed of shaderVariants(packedSupported)) {
        const { outputs, exec } = await runQ8OpGpu({ device, packed, op, shapes: [inShape, outShape], inputs: { 0: x }, f32Outputs: c.f32 ? [1] : [] });
        exec.destroy();
        expect({ packed, y: Array.from(outputs[1]) }).toEqual({ packed, y: Array.from(want) });
      }
    });
  }
});

describe('conv kernel preparation', () => {
  it('rejects grouped convolutions with UNSUPPORTED_OP (the registry then moves on to wasm)', () => {
    const { op, inShape, outShape } = makeCase({ name: 'g', C: 8, H: 4, W: 4, OC: 8, k: 3, p: 1 }, 1);
    expect(() => prepareConvQ8({ op: { ...op, group: 2 }, inShape, outShape })).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_OP' }));
  });
});
