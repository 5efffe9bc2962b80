/** Scalar requantization shared by the int8 reference kernels (mirrors packages/core/wasm/assembly/requant.ts). */

/**
 * Rounds to nearest, ties to even: f32x4.nearest, nearbyintf, numpy and onnxruntime's QuantizeLinear. The one
 * implementation used by the references, the plan compiler and the offline quantizer.
 *
 * @example
 * ```ts
 * roundHalfEven(2.5); // 2
 * roundHalfEven(-1.5); // -2
 * ```
 */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && (r & 1) !== 0 ? r - 1 : r;
}

/**
 * sat(roundHalfEven(clamp(f32(acc) * scale)) + zp) within [lo, hi], all in f32 as onnxruntime's MLAS does.
 *
 * @example
 * ```ts
 * requantize(1234, 0.01, -128, -128, 127); // -116
 * ```
 */
export function requantize(acc: number, scale: number, zp: number, lo: number, hi: number): number {
  const f = Math.fround(Math.fround(acc) * Math.fround(scale));
  const r = roundHalfEven(f) + zp;
  return r < lo ? lo : r > hi ? hi : r;
}
