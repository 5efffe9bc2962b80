/**
 * Picks the gemm mode of the relaxed-SIMD build at engine start. All modes are exact; this decides speed, and
 * correctness of the runtime's relaxed dot-add.
 * - Default: mode 0, the SIMD128 kernel (present in both builds). Measured on this project's x64 machine (AMD EPYC,
 *   no AVX-VNNI), the relaxed dot-add kernel (mode 1) is ~1.9x slower than mode 0 in Chromium 156 and ~1.4x in
 *   Node 20: without VNNI, V8 lowers each i32x4.relaxed_dot_i8x16_i7x16_add_s to ~5 instructions, and exactness
 *   needs two of them per 16 k (the 7-bit weight split), against one pmaddwd per 8 k for mode 0. A start-up timing
 *   race was tried and dropped: it runs before tier-up, whose relative speeds do not predict the optimized code's.
 * - `relaxedMode: 1` (opt in, e.g. on arm64 or AVX-VNNI CPUs where the dot-add is one instruction): used when a
 *   known-answer test passes. Node 20's V8 11.3 on x64 fails it (its baseline compiler returns 2 * dot and drops
 *   the accumulator; the optimizing tier is right, so the test must run before tier-up, i.e. at start, as here);
 *   such runtimes get mode 2 instead.
 * - `relaxedMode: 2`: non-accumulating i16x8.relaxed_dot_i8x16_i7x16_s + widening add, exact everywhere.
 */
import type { EngineExports } from './engine.js';
import { GEMM_MODE, type RelaxedMode } from './gemm-mode.js';

/**
 * The gemm mode a relaxed-build session runs: the requested one, except that relaxedDotAdd falls back to relaxedDot
 * where this runtime fails its known-answer test.
 *
 * @example
 * ```ts
 * const mode = pickRelaxedMode(exports, memory, 1); // 1, or 2 on Node 20 x64
 * ```
 */
export function pickRelaxedMode(ex: EngineExports, memory: WebAssembly.Memory, requested?: RelaxedMode): RelaxedMode {
  if (requested === GEMM_MODE.relaxedDotAdd) return dotAddWorks(ex, memory) ? GEMM_MODE.relaxedDotAdd : GEMM_MODE.relaxedDot;
  return requested ?? GEMM_MODE.simd128;
}

/**
 * Known-answer test of i32x4.relaxed_dot_i8x16_i7x16_add_s through gemm mode 1: Node 20's V8 (11.3, x64) returns
 * 2 * dot and drops the accumulator, so such runtimes use mode 2 (i16x8 relaxed dot + widening add) instead.
 */
export function dotAddWorks(ex: EngineExports, memory: WebAssembly.Memory): boolean {
  const base = ex.heap_base();
  if (memory.buffer.byteLength < base + 1024) memory.grow(1);
  const x = new Int8Array(memory.buffer, base, 32), w = new Int8Array(memory.buffer, base + 32, 128);
  const wt = (o: number, k: number) => ((o * 16 + k) * 37) % 255 - 127; // weights in [-127, 127]
  for (let k = 0; k < 16; k++) {
    x[k] = k * 17 - 128;
    x[16 + k] = 100 - k * 13;
    for (let o = 0; o < 4; o++) {
      const v = wt(o, k);
      w[o * 16 + k] = v > 0 ? v : 0;
      w[64 + o * 16 + k] = v < 0 ? -v : 0;
    }
  }
  const bias = new Int32Array(memory.buffer, base + 160, 4);
  for (let o = 0; o < 4; o++) {
    let sumN = 0;
    for (let k = 0; k < 16; k++) sumN += Math.max(0, -wt(o, k));
    bias[o] = 1000 + sumN;
  }
  new Float32Array(memory.buffer, base + 176, 4).fill(1 / 256);
  ex.gemm_q8(base, 16, 2, 1, base + 32, 4, GEMM_MODE.relaxedDotAdd, base + 160, base + 176, 0, -128, 127, base + 192, 4, 0);
  const out = new Int8Array(memory.buffer, base + 192, 8);
  for (let p = 0; p < 2; p++) {
    for (let o = 0; o < 4; o++) {
      let s = 1000;
      for (let k = 0; k < 16; k++) s += x[p * 16 + k] * wt(o, k);
      const want = Math.max(-128, Math.min(127, Math.round(s / 256)));
      if (Math.abs(out[p * 4 + o] - want) > 1) return false;
    }
  }
  return true;
}
