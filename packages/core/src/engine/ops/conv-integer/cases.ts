/** The ConvInteger / MatMulInteger case table: reference.ts and the wasm kernel (conv-integer.wasm.test.ts) run it. */
import { randomInt8 } from '../../../testing/random.js';
import type { PlanConvInteger } from '../../plan/types.js';

export interface ConvIntegerCase {
  name: string;
  inShape: number[];
  outShape: number[];
  op: Omit<PlanConvInteger, 'op' | 'name' | 'input' | 'output' | 'weights' | 'xZeroPoint' | 'mul' | 'residual'>;
  /** Input zero point (uint8), multiplier per channel or one, whether a residual input is added. */
  zx: number;
  mul?: number[];
  residual?: boolean;
  /** Whether the wasm engine runs it as Winograd (stride-1 3x3, overflow proof holds); absent: not a 3x3 s1 case. */
  winograd?: boolean;
  /** Every weight +-255 (the 9-bit extremes), for the overflow-proof fallback. */
  extreme?: boolean;
}

const conv = (C: number, OC: number, k: number, s: number, p: number, group = 1) => ({
  C, OC, group, kernel: [k, k] as [number, number], strides: [s, s] as [number, number], pads: [p, p, p, p] as [number, number, number, number],
  dilations: [1, 1] as [number, number], xUnsigned: true, relu: false,
});

export const CONV_INTEGER_CASES: readonly ConvIntegerCase[] = [
  { name: '3x3 pad 1, 9-bit weights, bias + ReLU, zero point 0', inShape: [1, 16, 9, 7], outShape: [1, 20, 9, 7], op: { ...conv(16, 20, 3, 1, 1), bias: Float32Array.from({ length: 20 }, (_, i) => (i - 10) * 0.37), relu: true }, zx: 0, mul: [0.0013], winograd: true },
  { name: 'winograd: batch 2, odd 7x5 image, C 24, OC 6, pad 1, residual, zero point 200', inShape: [2, 24, 7, 5], outShape: [2, 6, 7, 5], op: { ...conv(24, 6, 3, 1, 1), bias: new Float32Array(6).fill(0.125) }, zx: 200, mul: Array.from({ length: 6 }, (_, i) => 0.0007 * (i + 1)), residual: true, winograd: true },
  { name: 'winograd: valid (pad 0) 8x6, C 40, OC 8', inShape: [1, 40, 8, 6], outShape: [1, 8, 6, 4], op: conv(40, 8, 3, 1, 0), zx: 3, mul: [0.01], winograd: true },
  // 7 tile rows split unevenly on two threads: the threads split output channels (call-runner.ts threadSplit).
  { name: 'winograd: 14x14, C 16, OC 136, zero point 90 (threads split channels)', inShape: [1, 16, 14, 14], outShape: [1, 136, 14, 14], op: { ...conv(16, 136, 3, 1, 1), bias: new Float32Array(136).fill(0.3), relu: true }, zx: 90, mul: [0.004], winograd: true },
  { name: 'winograd fallback: every weight +-255 at C 272, overflow bound over 2^31: direct', inShape: [1, 272, 4, 4], outShape: [1, 4, 4, 4], op: conv(272, 4, 3, 1, 1), zx: 128, mul: [0.0001], winograd: false, extreme: true },
  { name: '3x3 stride 2 on 3 channels (the stem: int8 rows), zero point 255, per-channel multipliers', inShape: [2, 3, 11, 10], outShape: [2, 8, 6, 5], op: conv(3, 8, 3, 2, 1), zx: 255, mul: Array.from({ length: 8 }, (_, i) => 0.001 * (i + 1)) },
  { name: '1x1 stride 1 (GEMM on the input rows) + residual add', inShape: [1, 40, 5, 6], outShape: [1, 24, 5, 6], op: { ...conv(40, 24, 1, 1, 0), bias: new Float32Array(24).fill(-0.25) }, zx: 131, mul: [0.002], residual: true },
  { name: 'grouped 3x3 (2 groups), no epilogue: the int32 accumulator as f32', inShape: [1, 8, 6, 6], outShape: [1, 12, 6, 6], op: conv(8, 12, 3, 1, 1, 2), zx: 17 },
  { name: 'MatMulInteger [N, K] x [K, N]', inShape: [3, 70], outShape: [3, 33], op: { ...conv(70, 33, 1, 1, 0), bias: new Float32Array(33).fill(0.5) }, zx: 120, mul: [0.003] },
];

/**
 * The plan op (tensor 0 -> 1; f32 tensors 2 = multiplier, 3 = residual), its inputs and the multiplier array.
 *
 * @example
 * ```ts
 * const { op, x, mul, residual } = makeConvIntegerCase(CONV_INTEGER_CASES[0]);
 * ```
 */
export function makeConvIntegerCase(c: ConvIntegerCase): { op: PlanConvInteger; x: Int8Array; mul?: Float32Array; residual?: Float32Array } {
  const K = c.op.kernel[0] * c.op.kernel[1] * (c.op.C / c.op.group);
  const w8 = randomInt8(c.op.OC * K, 71);
  // Weights minus a uint8 zero point span 9 bits.
  const weights = Int16Array.from(w8, (v, i) => (i % 7 === 0 ? v * 2 : v));
  weights[0] = 255;
  weights[1] = -255;
  if (c.extreme) weights.forEach((_, i) => (weights[i] = i % 3 ? 255 : -255));
  const mul = c.mul ? Float32Array.from(c.mul) : undefined;
  const op: PlanConvInteger = {
    op: 'convint', name: c.name, input: 0, output: 1, ...c.op, weights, xZeroPoint: { values: Float32Array.of(c.zx) },
    ...(mul ? { mul: { tensor: 2 } } : {}), ...(c.residual ? { residual: 3 } : {}),
  };
  const n = c.outShape.reduce((a, b) => a * b, 1);
  const residual = c.residual ? Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 3) : undefined;
  return { op, x: randomInt8(c.inShape.reduce((a, b) => a * b, 1), 72), mul, residual };
}
