/** Scalar requantization shared by the int8 reference kernels (mirrors packages/core/wasm/assembly/requant.ts). */

/** Round half to even, like f32x4.nearest / nearbyintf. */
export function nearest(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && (r & 1) !== 0 ? r - 1 : r;
}

/**
 * sat(nearest(clamp(f32(acc) * scale)) + zp) within [lo, hi], all in f32 as onnxruntime's MLAS does.
 *
 * @example
 * ```ts
 * requantize(1234, 0.01, -128, -128, 127); // -116
 * ```
 */
export function requantize(acc: number, scale: number, zp: number, lo: number, hi: number): number {
  const f = Math.fround(Math.fround(acc) * Math.fround(scale));
  const r = nearest(f) + zp;
  return r < lo ? lo : r > hi ? hi : r;
}
