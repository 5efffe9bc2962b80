/** Packs plan conv weights into the gemm_q8 block layouts (see packages/core/wasm/assembly/gemm.ts). */
import type { PlanConv } from '../../plan/types.js';
import type { RelaxedMode } from '../../wasm/gemm-mode.js';

export interface PackedGroup {
  /** Packed weights for this group's output channels (mode 0: pre-widened to int16). */
  weights: Int8Array | Int16Array;
  /** int32 bias with the input zero point (and, in relaxed mode, sum(n)) folded in; length padded to 4. */
  bias: Int32Array;
  /** f32 multipliers, length padded to 4. */
  scale: Float32Array;
}

export interface PackedConv {
  /**
   * 0 = SIMD128 dot_i16x8; 1 = relaxed dot-add with w = p - n split; 2 = same split, non-accumulating relaxed dot;
   * 3 = relaxed dot-add on int8 weights and u8 rows (usdot).
   */
  mode: 0 | 1 | 2 | 3;
  /** K rounded up to 16. */
  Kp: number;
  groups: PackedGroup[];
}

/** The packing mode of a conv: modes 1 and 2 need every weight in [-127, 127] (p and n fit 7 bits), else mode 0. */
function convMode(op: PlanConv, relaxedMode: RelaxedMode): RelaxedMode {
  if (relaxedMode === 3) return 3;
  return relaxedMode && !op.weights.includes(-128) ? relaxedMode : 0;
}

/** Bytes of packed weights per block of 4 output channels and 16 k: int16 (mode 0), p + n (1, 2), int8 (3). */
export function chunkBytes(mode: RelaxedMode): number {
  return mode === 3 ? 64 : 128;
}

/** The bias with the input zero point (and the mode's weight-sum correction) folded in, for a channel's sums. */
export function foldBias(bias: number, inZeroPoint: number, mode: RelaxedMode, sum: number, sumN: number): number {
  // Mode 3 multiplies x + 128 (rows flipped to u8); modes 1, 2 compute -dot(x, n) - sum(n) for the n half.
  return bias - (mode === 3 ? inZeroPoint + 128 : inZeroPoint) * sum + (mode === 1 || mode === 2 ? sumN : 0);
}

/** Mode and padded sizes of a conv's packed weights (shared by {@link packConv} and the engine's pack_weights). */
export function packShape(op: PlanConv, relaxedMode: RelaxedMode): { mode: RelaxedMode; Kp: number; blocks: number } {
  const [KH, KW] = op.kernel;
  const K = KH * KW * (op.C / op.group);
  return { mode: convMode(op, relaxedMode), Kp: (K + 15) & ~15, blocks: Math.ceil(op.OC / op.group / 4) };
}

/**
 * Reference packer (the engine packs with its own pack_weights, checked against this in pack.test.ts). Packs weights per group: mode 0 in blocks of 4 output channels x 8 k as int16 (64 bytes; pre-widened so the
 * kernel's weight loads are plain loads, not sign-extending ones that compete with the multiplies for SIMD ports);
 * modes 1 and 2 in blocks of 4 output channels x 16 k, p then n (128 bytes).
 * Relaxed modes need every weight in [-127, 127] so that p and n fit 7 bits; otherwise mode 0 is used.
 *
 * @example
 * ```ts
 * const packed = packConv(op, engine.relaxedMode); // 0 on a SIMD128-only engine
 * ```
 */
export function packConv(op: PlanConv, relaxedMode: RelaxedMode): PackedConv {
  const [KH, KW] = op.kernel;
  const Cg = op.C / op.group, OCg = op.OC / op.group;
  const K = KH * KW * Cg, Kp = (K + 15) & ~15, chunks = Kp / 16;
  const mode = convMode(op, relaxedMode);
  const blocks = Math.ceil(OCg / 4);
  const blockElems = chunks * (mode ? chunkBytes(mode) : 64); // per 4 output channels; mode 0 elements are int16
  const groups: PackedGroup[] = [];
  for (let g = 0; g < op.group; g++) {
    const weights = mode ? new Int8Array(blocks * blockElems) : new Int16Array(blocks * blockElems);
    const bias = new Int32Array(blocks * 4);
    const scale = new Float32Array(blocks * 4);
    for (let o = 0; o < OCg; o++) {
      const oc = g * OCg + o;
      const b = o >> 2, j = o & 3;
      let sum = 0, sumN = 0;
      const src = oc * K, blk = b * blockElems;
      if (mode === 3) {
        for (let k = 0; k < K; k++) {
          const w = op.weights[src + k];
          weights[blk + (k >> 4) * 64 + j * 16 + (k & 15)] = w;
          sum += w;
        }
      } else if (mode) {
        for (let k = 0; k < K; k++) {
          const w = op.weights[src + k];
          const at = blk + (k >> 4) * 128 + j * 16 + (k & 15);
          sum += w;
          if (w > 0) weights[at] = w;
          else if (w < 0) {
            weights[at + 64] = -w;
            sumN -= w;
          }
        }
      } else {
        const w8 = op.weights;
        for (let k = 0; k < K; k += 8) {
          const at = blk + (k >> 3) * 32 + j * 8, n = Math.min(8, K - k);
          for (let e = 0; e < n; e++) {
            const w = w8[src + k + e];
            weights[at + e] = w;
            sum += w;
          }
        }
      }
      bias[o] = foldBias(op.bias[oc], op.inZeroPoint, mode, sum, sumN);
      scale[o] = op.multiplier[oc];
    }
    groups.push({ weights, bias, scale });
  }
  return { mode, Kp, groups };
}
