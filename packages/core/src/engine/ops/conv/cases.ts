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
  /** Pads [top, left, bottom, right] instead of `p` on every side. */
  pads?: [number, number, number, number];
  /** Every weight +-127 and every input -128 or 127 (largest |acc| for its size; Winograd's overflow bound). */
  extreme?: boolean;
  /**
   * The wasm engine's SIMD128 kernel runs this case as Winograd F(2x2, 3x3) (winograd-wasm.ts); false for a 3x3
   * stride-1 case whose overflow bound fails, so it must fall back to the direct conv.
   */
  winograd?: boolean;
}

export const CONV_CASES: readonly ConvCase[] = [
  { name: '1x1 direct', C: 32, H: 5, W: 7, OC: 24 },
  { name: '1x1 stride 2 (downsample)', C: 16, H: 8, W: 8, OC: 32, s: 2 },
  { name: '3x3 pad 1 relu', C: 16, H: 9, W: 6, OC: 20, k: 3, p: 1, relu: true, winograd: true },
  { name: '3x3 stride 2, C and OC not multiples of 4 or 16', C: 5, H: 11, W: 10, OC: 7, k: 3, s: 2, p: 1 },
  { name: '7x7 stem stride 2 pad 3', C: 3, H: 20, W: 18, OC: 16, k: 7, s: 2, p: 3 },
  { name: 'dilated 3x3', C: 8, H: 10, W: 10, OC: 8, k: 3, p: 2, d: 2 },
  { name: 'grouped', C: 12, H: 6, W: 6, OC: 18, k: 3, p: 1, g: 3, gpu: false },
  { name: 'depthwise', C: 17, H: 6, W: 5, OC: 17, k: 3, p: 1, g: 17, gpu: false },
  { name: 'batch 2, weights include -128', N: 2, C: 16, H: 4, W: 4, OC: 9, k: 3, p: 1, w128: true, winograd: true },
  { name: 'batch 2, more than one GPU tile', N: 2, C: 16, H: 7, W: 7, OC: 40, k: 3, p: 1, winograd: true },
  { name: 'gemm [N, K]', N: 3, C: 70, H: 1, W: 1, OC: 10, gemm: true },
  { name: 'gemm with float output (classifier head)', N: 3, C: 70, H: 1, W: 1, OC: 10, gemm: true, f32: true },
  { name: '|acc| > 2^24', C: 512, H: 3, W: 3, OC: 4, k: 3, p: 1, big: true, winograd: true },
  // Winograd F(2x2, 3x3) geometries (3x3, stride 1): tiles cut by odd sizes, channel tails, every padding.
  { name: 'winograd: odd 7x9, C 5, OC 7', C: 5, H: 7, W: 9, OC: 7, k: 3, p: 1, winograd: true },
  { name: 'winograd: valid (pad 0) 6x10, C 40', C: 40, H: 6, W: 10, OC: 12, k: 3, winograd: true },
  { name: 'winograd: pad 2, C 24', C: 24, H: 5, W: 4, OC: 8, k: 3, p: 2, relu: true, winograd: true },
  { name: 'winograd: asymmetric pads, batch 2', N: 2, C: 16, H: 6, W: 7, OC: 20, k: 3, pads: [1, 0, 0, 1], winograd: true },
  { name: 'winograd: 1x2 image, weights include -128', C: 32, H: 1, W: 2, OC: 12, k: 3, p: 1, w128: true, winograd: true },
  { name: 'winograd: 14x14, C 64, OC 64 (several bands of tiles)', C: 64, H: 14, W: 14, OC: 64, k: 3, p: 1, winograd: true },
  // Rows that split unevenly across two threads (7 output rows / 7 tile rows): the threads split output channels
  // instead (call-runner.ts threadSplit), the last range not a multiple of 16.
  { name: '3x3 stride 2 to 7x7, OC 136 (threads split channels)', C: 24, H: 14, W: 14, OC: 136, k: 3, s: 2, p: 1 },
  { name: 'winograd: 14x14, OC 136 (7 tile rows: threads split channels)', C: 16, H: 14, W: 14, OC: 136, k: 3, p: 1, relu: true, winograd: true },
  // Overflow proof at its edge: bound 512 * 127 * C * 64 is just under 2^31 at C = 496 and over it at C = 528.
  { name: 'winograd: extreme data, overflow bound just under 2^31 (C 496)', C: 496, H: 4, W: 5, OC: 8, k: 3, p: 1, extreme: true, winograd: true },
  { name: 'winograd fallback: overflow bound over 2^31 (C 528) runs the direct conv', C: 528, H: 4, W: 4, OC: 8, k: 3, p: 1, extreme: true, winograd: false },
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
  const pads = c.pads ?? [p, p, p, p];
  const OH = Math.floor((c.H + pads[0] + pads[2] - (k - 1) * d - 1) / s) + 1, OW = Math.floor((c.W + pads[1] + pads[3] - (k - 1) * d - 1) / s) + 1;
  const K = k * k * (c.C / g);
  const signs = randomInt8(c.OC * K, seed + 2);
  const weights = c.big
    ? Int8Array.from({ length: c.OC * K }, (_, i) => (i % 97 === 0 ? 5 : 127) * (i < K * 2 ? 1 : -1))
    : c.extreme ? Int8Array.from(signs, (v, i) => (v < 0 !== (i < K) ? -127 : 127)) : randomInt8(c.OC * K, seed, c.w128 ? -128 : -127, 127);
  const op: PlanConv = {
    op: 'conv', name: c.name, input: 0, output: 1, C: c.C, OC: c.OC, group: g, kernel: [k, k], strides: [s, s],
    pads, dilations: [d, d], weights,
    bias: Int32Array.from({ length: c.OC }, (_, i) => (i * 977) % 4000 - 2000 + (c.big ? i * 12345 : 0)),
    multiplier: Float32Array.from({ length: c.OC }, (_, i) => (c.big ? 1.3e-6 : c.extreme ? 2e-2 : 1) / (200 + 37 * i)),
    inZeroPoint: c.big || c.extreme ? -128 : 3, outZeroPoint: -5, lo: c.relu ? -5 : -128, hi: 127, ...(c.f32 ? { outputF32: true } : {}),
  };
  const inShape = c.gemm ? [N, c.C] : [N, c.C, c.H, c.W];
  const outShape = c.gemm ? [N, c.OC] : [N, c.OC, OH, OW];
  const n = inShape.reduce((a, b) => a * b, 1);
  const x = c.big ? Int8Array.from({ length: n }, (_, i) => 127 - (i % 3))
    : c.extreme ? Int8Array.from(randomInt8(n, seed + 1), (v) => (v < -64 ? -128 : 127)) : randomInt8(n, seed + 1);
  return { op, inShape, outShape, x };
}
