/** The QuantizeLinear case table: reference.ts and the wasm kernel (quantize-linear.wasm.test.ts). */

export interface QuantizeLinearCase {
  name: string;
  shape: number[];
  x: Float32Array;
  scale: number;
  zeroPoint: number;
}

/** Ramps with outliers that saturate, two exact ties and a NaN, on a shape whose channels need NHWC padding. */
function ramp(): Float32Array {
  const x = Float32Array.from({ length: 90 }, (_, i) => (i - 45) * 0.25 * (i % 7 === 0 ? 40 : 1));
  x[3] = 0.125; // exactly 12.5 steps -> 12
  x[4] = 0.135; // 13.5 steps -> 14
  x[5] = NaN;
  return x;
}

export const QUANTIZE_LINEAR_CASES: readonly QuantizeLinearCase[] = [
  { name: 'ties round to even, saturates, NaN -> zero point, NHWC padding', shape: [2, 3, 5, 3], x: ramp(), scale: 0.01, zeroPoint: -3 },
];
