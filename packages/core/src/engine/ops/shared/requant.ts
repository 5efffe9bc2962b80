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

/**
 * The table of y = sat(roundHalfEven(f32(f32((q - zx) * sx) / sy)) + zy) for q = -128..127 (int8 domain).
 *
 * @example
 * ```ts
 * const table = requantTable({ x: { scale: 0.1, zeroPoint: 0 }, y: { scale: 0.2, zeroPoint: -128 } });
 * ```
 */
export function requantTable(o: { x: { scale: number; zeroPoint: number }; y: { scale: number; zeroPoint: number } }): Int8Array {
  const sx = Math.fround(o.x.scale), sy = Math.fround(o.y.scale);
  return Int8Array.from({ length: 256 }, (_, i) => {
    const f = Math.fround(Math.fround((i - 128 - o.x.zeroPoint) * sx) / sy);
    const q = roundHalfEven(f) + o.y.zeroPoint;
    return q < -128 ? -128 : q > 127 ? 127 : q;
  });
}
