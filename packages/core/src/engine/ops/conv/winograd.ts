/**
 * Exact integer Winograd F(2x2, 3x3) for stride-1 3x3 convs: the TS reference of packages/core/wasm/assembly/winograd.ts,
 * which layers use it, and the overflow proof.
 *
 * Y = A^T [U' (.) V] A / 4 with V = B^T d B over 4x4 input tiles d (int8 as stored, out-of-image taps = the input
 * zero point, folded out by the bias exactly as in the direct conv), U' = G' g G'^T with G' = 2G (integral: the
 * factor 4 is divided out exactly at the end). 16 multiplies per 2x2 outputs instead of 36 (2.25x fewer).
 * Integer arithmetic is exact, so the result equals the direct conv bit for bit as long as nothing overflows:
 * |d| <= 128 gives |V| <= 512 (int16), |g| <= 128 gives |U'| <= 1152 (int16), and {@link winogradBound} bounds every
 * int32 sum (GEMM partial sums, both transform stages) from the layer's actual weights. Layers whose bound reaches
 * 2^31 run the direct conv.
 */
import type { PlanConv, PlanTensor } from '../../plan/types.js';
import { requantize } from '../shared/requant.js';
import { WINO_LIMIT, winogradBound } from '../shared/winograd-bound.js';

export { WINO_LIMIT, winogradBound };

/** B^T, G' (= 2G) and A^T of F(2x2, 3x3). */
export const WINO_BT = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]] as const;
export const WINO_G2 = [[2, 0, 0], [1, 1, 1], [1, -1, 1], [0, 0, 2]] as const;
export const WINO_AT = [[1, 1, 1, 0], [0, 1, -1, -1]] as const;

/** Whether the conv has Winograd's geometry: one group, 3x3, stride 1, dilation 1, int8 NCHW input, int8 output. */
export function winogradShape(op: PlanConv, input: PlanTensor): boolean {
  return op.group === 1 && op.kernel[0] === 3 && op.kernel[1] === 3 && op.strides.every((s) => s === 1) &&
    op.dilations.every((d) => d === 1) && input.dtype === 'q8' && input.shape.length === 4 && !op.outputF32 && !op.weights16;
}

/**
 * U' = G' g G'^T of every (output channel, input channel): [OC][C][16] int16 (position e = 4 i + j).
 *
 * @example
 * ```ts
 * const U = winogradWeights(op); // U[(o * op.C + c) * 16 + e]
 * ```
 */
export function winogradWeights(op: PlanConv): Int16Array {
  const U = new Int16Array(op.OC * op.C * 16);
  for (let o = 0; o < op.OC; o++) {
    for (let c = 0; c < op.C; c++) {
      const g = (ky: number, kx: number) => op.weights[o * 9 * op.C + (ky * 3 + kx) * op.C + c];
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 4; j++) {
          let u = 0;
          for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) u += WINO_G2[i][ky] * WINO_G2[j][kx] * g(ky, kx);
          U[(o * op.C + c) * 16 + i * 4 + j] = u;
        }
      }
    }
  }
  return U;
}

/**
 * The conv computed the Winograd way in plain loops (NCHW int8 in and out), for tests: must equal convQ8Ref.
 *
 * @example
 * ```ts
 * const y = winogradRef({ op, x, inShape: [1, 16, 8, 8], outShape: [1, 24, 8, 8] });
 * ```
 */
export function winogradRef(o: { op: PlanConv; x: Int8Array; inShape: readonly number[]; outShape: readonly number[] }): Int8Array {
  const { op, x } = o;
  const [N, C, H, W] = o.inShape, [, OC, OH, OW] = o.outShape;
  const U = winogradWeights(op);
  const y = new Int8Array(N * OC * OH * OW);
  const d = new Float64Array(16), V = new Float64Array(C * 16), t = new Float64Array(16);
  for (let n = 0; n < N; n++) {
    for (let ty = 0; ty < Math.ceil(OH / 2); ty++) {
      for (let tx = 0; tx < Math.ceil(OW / 2); tx++) {
        // V = B^T d B per input channel.
        for (let c = 0; c < C; c++) {
          for (let r = 0; r < 4; r++) {
            for (let q = 0; q < 4; q++) {
              const iy = 2 * ty - op.pads[0] + r, ix = 2 * tx - op.pads[1] + q;
              d[r * 4 + q] = iy >= 0 && iy < H && ix >= 0 && ix < W ? x[((n * C + c) * H + iy) * W + ix] : op.inZeroPoint;
            }
          }
          mul4(WINO_BT, d, t, false);
          mul4(WINO_BT, t, V.subarray(c * 16, c * 16 + 16), true);
        }
        for (let oc = 0; oc < OC; oc++) {
          const M = new Float64Array(16);
          for (let c = 0; c < C; c++) for (let e = 0; e < 16; e++) M[e] += U[(oc * C + c) * 16 + e] * V[c * 16 + e];
          // bias folded like the direct conv: sum (x - zx) w = sum x w - zx sum(w).
          let sw = 0;
          for (let k = 0; k < 9 * C; k++) sw += op.weights[oc * 9 * C + k];
          for (let a = 0; a < 2; a++) {
            for (let b = 0; b < 2; b++) {
              const oy = 2 * ty + a, ox = 2 * tx + b;
              if (oy >= OH || ox >= OW) continue;
              let v = 0;
              for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) v += WINO_AT[a][i] * WINO_AT[b][j] * M[i * 4 + j];
              if (v % 4 !== 0) throw new Error('Winograd: A^T M A is not a multiple of 4');
              const acc = v / 4 + op.bias[oc] - op.inZeroPoint * sw;
              y[((n * OC + oc) * OH + oy) * OW + ox] = requantize(acc, op.multiplier[oc], op.outZeroPoint, op.lo, op.hi);
            }
          }
        }
      }
    }
  }
  return y;
}

/** out = T in (4x4 row-major) when `right` is false, else out = in T^T (T's rows applied to the columns). */
function mul4(T: readonly (readonly number[])[], a: ArrayLike<number>, out: Float64Array, right: boolean): void {
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += right ? a[i * 4 + k] * T[j][k] : T[i][k] * a[k * 4 + j];
      out[i * 4 + j] = s;
    }
  }
}
