/** Modes of the engine's int8 GEMM kernel. */

/**
 * gemm_q8's `mode` argument (packages/core/wasm/assembly/gemm.ts), the one place these numbers are named. Modes
 * 0-3 are also pack_weights' layouts; 0-3 are what `relaxedMode` picks for a session (see engine-select.ts).
 */
export const GEMM_MODE = {
  /** SIMD128: i32x4.dot_i16x8_s on sign-extended int8 rows; weights pre-widened to int16 blocks. In both builds. */
  simd128: 0,
  /** Relaxed SIMD i32x4.relaxed_dot_i8x16_i7x16_add_s; weights split as w = p - n (relaxed build only). */
  relaxedDotAdd: 1,
  /** The same split with the non-accumulating i16x8.relaxed_dot_i8x16_i7x16_s + widening add (relaxed build only). */
  relaxedDot: 2,
  /**
   * Relaxed SIMD i32x4.relaxed_dot_i8x16_i7x16_add_s with int8 weights and rows flipped to u8 as the second operand
   * (one instruction per 16 MACs on x64 AVX-VNNI); only where the runtime passes the unsigned known-answer test.
   */
  relaxedUsdot: 3,
  /** Mode 0's kernel on int16 rows written by im2row16 (saves the widening in the inner loop). */
  simd128Int16Rows: 4,
} as const;

/** A weight layout / kernel choice of a session: {@link GEMM_MODE} simd128, relaxedDotAdd, relaxedDot or relaxedUsdot. */
export type RelaxedMode = 0 | 1 | 2 | 3;
