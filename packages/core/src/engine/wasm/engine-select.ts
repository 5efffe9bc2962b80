/**
 * Picks the gemm mode of the relaxed-SIMD build at engine start. All modes are exact; this decides speed, and
 * correctness of the runtime's relaxed dot-add.
 * - Default: mode 3 (usdot) where the runtime passes its known-answer test, else mode 0 (the SIMD128 kernel, in
 *   both builds). i32x4.relaxed_dot_i8x16_i7x16_add_s only promises a deterministic result when its second operand
 *   fits 7 bits; x64 V8 with AVX-VNNI lowers it to one vpdpbusd, which multiplies that operand as unsigned 8-bit
 *   and never saturates. Mode 3 feeds it the activations flipped to u8 (x + 128), so on such runtimes it is exact
 *   and one instruction per 16 MACs (XNNPACK, inside LiteRT.js, detects the same behaviour the same way). Where the
 *   lowering differs (no VNNI: pmaddubsw saturates at i16; arm64: sdot reads it as signed), the test fails and the
 *   session runs mode 0. Without VNNI the dot-add costs ~5 instructions, so mode 0 is faster there anyway.
 * - `relaxedMode: 1` (opt in, e.g. on arm64 where the dot-add is one sdot): used when a known-answer test passes.
 *   Node 20's V8 11.3 on x64 fails it (its baseline compiler returns 2 * dot and drops the accumulator; the
 *   optimizing tier is right, so the test must run before tier-up, i.e. at start, as here); such runtimes get mode 2.
 * - `relaxedMode: 2`: non-accumulating i16x8.relaxed_dot_i8x16_i7x16_s + widening add, exact everywhere.
 * - `relaxedMode: 0` forces the SIMD128 kernel; `relaxedMode: 3` is the default's pick made explicit.
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
  if (requested === undefined || requested === GEMM_MODE.relaxedUsdot) return usdotWorks(ex, memory) ? GEMM_MODE.relaxedUsdot : GEMM_MODE.simd128;
  return requested;
}

/**
 * Known-answer test of gemm mode 3: i32x4.relaxed_dot_i8x16_i7x16_add_s must multiply its second operand as
 * unsigned 8-bit, exactly, with no 16-bit saturation. The data makes every other known lowering differ: 255 x 127
 * pairs saturate pmaddubsw's i16 sums, and bytes >= 128 read as signed (arm64 sdot, AVX-VNNI-INT8) change sign.
 */
export function usdotWorks(ex: EngineExports, memory: WebAssembly.Memory): boolean {
  const base = ex.heap_base();
  if (memory.buffer.byteLength < base + 1024) memory.grow(1);
  const K = 32;
  const x = new Int8Array(memory.buffer, base, 2 * K), w = new Int8Array(memory.buffer, base + 64, 4 * K);
  const wt = (o: number, k: number) => (o === 0 ? 127 : o === 1 ? -128 : o === 2 ? (k & 1 ? 127 : -128) : ((o * 16 + k) * 37) % 256 - 128);
  for (let k = 0; k < K; k++) {
    x[k] = 127; // u = 255
    x[K + k] = k & 2 ? -1 : (k * 29) % 256 - 128; // u = 127 and a spread of others
    for (let o = 0; o < 4; o++) w[(k >> 4) * 64 + o * 16 + (k & 15)] = wt(o, k);
  }
  new Int32Array(memory.buffer, base + 192, 4).fill(0);
  new Float32Array(memory.buffer, base + 208, 4).fill(1);
  ex.gemm_q8(base, K, 2, K / 16, base + 64, 4, GEMM_MODE.relaxedUsdot, base + 192, base + 208, 0, -128, 127, base + 224, 4, 1);
  const out = new Float32Array(memory.buffer, base + 224, 8);
  for (let p = 0; p < 2; p++) {
    for (let o = 0; o < 4; o++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += (x[p * K + k] + 128) * wt(o, k);
      if (out[p * 4 + o] !== s) return false;
    }
  }
  return true;
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
