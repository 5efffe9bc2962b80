/**
 * The conv case table: the reference (reference.ts), the wasm kernel (conv.wasm.test.ts, every engine build) and the
 * WGSL kernel (conv.wgsl.test.ts) are all checked against it. Each case covers one geometry or numeric edge.
 */
import { randomInt8 } from '../../../testing/random.js';
import type { PlanConv } from '../../plan/types.js';

export interface ConvCase {
  name: string;
  N?: number; C: number; H: number; W: number; OC: number; k?: number; s?: number; p?: number; d?: number; g?: number;
  relu?: boolean;
  /** [N, K] x [K, OC] (Gemm / MatMul) instead of a 4-D conv. */
  gemm?: boolean;
  /** Float output (QGemm-style classifier head). */
  f32?: boolean;
  /** Weights include -128 (relaxed-SIMD modes then fall back to the SIMD128 kernel). */
  w128?: boolean;
  /** Extreme data so |acc| exceeds 2^24 (exercises the WGSL kernel's exact i32 -> f32 rounding). */
  big?: boolean;
  /** False where the WGSL kernel declines the case with UNSUPPORTED_OP (grouped convs). */
  gpu?: boolean;
}

export const CONV_CASES: readonly ConvCase[] = [
  { name: '1x1 direct', C: 32, H: 5, W: 7, OC: 24 },
  { name: '1x1 stride 2 (downsample)', C: 16, H: 8, W: 8, OC: 32, s: 2 },
  { name: '3x3 pad 1 relu', C: 16, H: 9, W: 6, OC: 20, k: 3, p: 1, relu: true },
  { name: '3x3 stride 2, C and OC not multiples of 4 or 16', C: 5, H: 11, W: 10, OC: 7, k: 3, s: 2, p: 1 },
  { name: '7x7 stem stride 2 pad 3', C: 3, H: 20, W: 18, OC: 16, k: 7, s: 2, p: 3 },
  { name: 'dilated 3x3', C: 8, H: 10, W: 10, OC: 8, k: 3, p: 2, d: 2 },
  { name: 'grouped', C: 12, H: 6, W: 6, OC: 18, k: 3, p: 1, g: 3, gpu: false },
  { name: 'depthwise', C: 17, H: 6, W: 5, OC: 17, k: 3, p: 1, g: 17, gpu: false },
  { name: 'batch 2, weights include -128', N: 2, C: 16, H: 4, W: 4, OC: 9, k: 3, p: 1, w128: true },
  { name: 'batch 2, more than one GPU tile', N: 2, C: 16, H: 7, W: 7, OC: 40, k: 3, p: 1 },
  { name: 'gemm [N, K]', N: 3, C: 70, H: 1, W: 1, OC: 10, gemm: true },
  { name: 'gemm with float output (classifier head)', N: 3, C: 70, H: 1, W: 1, OC: 10, gemm: true, f32: true },
  { name: '|acc| > 2^24', C: 512, H: 3, W: 3, OC: 4, k: 3, p: 1, big: true },
];

/**
 * The plan op, shapes and int8 input of a case (deterministic: seeded by the case name).
 *
 * @example
 * ```ts
 * const { op, inShape, outShape, x } = makeConvCase(CONV_CASES[0]);
 * ```
 */
export function makeConvCase(c: ConvCase): { op: PlanConv; inShape: number[]; outShape: number[]; x: Int8Array } {
  const seed = c.name.length * 31;
  const N = c.N ?? 1, k = c.k ?? 1, s = c.s ?? 1, p = c.p ?? 0, d = c.d ?? 1, g = c.g ?? 1;
  const OH = Math.floor((c.H + 2 * p - (k - 1) * d - 1) / s) + 1, OW = Math.floor((c.W + 2 * p - (k - 1) * d - 1) / s) + 1;
  const K = k * k * (c.C / g);
  const weights = c.big
    ? Int8Array.from({ length: c.OC * K }, (_, i) => (i % 97 === 0 ? 5 : 127) * (i < K * 2 ? 1 : -1))
    : randomInt8(c.OC * K, seed, c.w128 ? -128 : -127, 127);
  const op: PlanConv = {
    op: 'conv', name: c.name, input: 0, output: 1, C: c.C, OC: c.OC, group: g, kernel: [k, k], strides: [s, s],
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
