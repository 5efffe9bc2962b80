/**
 * The overflow proof of exact integer Winograd F(2x2, 3x3) (ops/conv/winograd.ts has the math), shared by the int8
 * conv and ConvInteger: both transform int8 input taps and OHWI weights ([OC][3][3][C]: int8, or ConvInteger's
 * w - zw in 9 bits), and the buffer geometry both wasm kernels use.
 */

/** |d| bound of an int8 input tap (the zero point is int8 too). */
const D_MAX = 128;
/** The int32 limit every intermediate must stay under. */
export const WINO_LIMIT = 2 ** 31;

/**
 * Largest |value| any int32 intermediate of the layer's Winograd computation can reach, for any int8 input: the GEMM
 * partial sums M[i][j] = sum_c U'[c][i][j] V[c][i][j] and the output transform's sums, all partial sums of
 * Y'(a, b) = sum_ij A^T[a][i] A^T[b][j] M[i][j]. With |V| <= 4 * 128 and sum_c |U'[c][i][j]| <= sum_{ky,kx}
 * |G'[i][ky]| |G'[j][kx]| S[ky][kx], S = sum_c |g[ky][kx][c]| per output channel:
 * |Y'(a, b)| <= 512 * sum_{ky,kx} P[a][ky] P[b][kx] S[ky][kx], P = |A^T| |G'| = [[4, 2, 2], [2, 2, 4]].
 *
 * @example
 * ```ts
 * const safe = winogradBound(op) < WINO_LIMIT;
 * ```
 */
export function winogradBound(op: { C: number; OC: number; weights: ArrayLike<number> }): number {
  const K = 9 * op.C;
  const P = [[4, 2, 2], [2, 2, 4]];
  let worst = 0;
  const S = new Float64Array(9);
  for (let o = 0; o < op.OC; o++) {
    S.fill(0);
    const base = o * K;
    for (let t = 0; t < 9; t++) {
      let s = 0;
      for (let c = 0, i = base + t * op.C; c < op.C; c++, i++) s += Math.abs(op.weights[i]);
      S[t] = s;
    }
    for (let a = 0; a < 2; a++) {
      for (let b = 0; b < 2; b++) {
        let y = 0;
        for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) y += P[a][ky] * P[b][kx] * S[ky * 3 + kx];
        worst = Math.max(worst, 4 * D_MAX * y);
      }
    }
  }
  return worst;
}

/** Bytes of V and M per band: about 256 KB, so both stay in L2 between the three passes. */
const BAND_BYTES = 262144;

/** Sizes of a Winograd layer's buffers and its bands of tile rows. */
export interface WinogradGeometry {
  Kp: number;
  OCp: number;
  /** Bytes of one tile position's packed weight matrix. */
  eStride: number;
  TH: number;
  TW: number;
  /** Tile rows per band. */
  band: number;
  tileBytesV: number;
}

/**
 * The geometry of a C -> OC layer with an OH x OW output.
 *
 * @example
 * ```ts
 * const g = winogradGeometry({ C: 64, OC: 64 }, 56, 56); // g.TH = g.TW = 28
 * ```
 */
export function winogradGeometry(op: { C: number; OC: number }, OH: number, OW: number): WinogradGeometry {
  const Kp = (op.C + 15) & ~15, OCp = (op.OC + 3) & ~3;
  const TH = Math.ceil(OH / 2), TW = Math.ceil(OW / 2);
  const tileBytesV = 32 * Kp, tileBytes = tileBytesV + 64 * OCp;
  const band = Math.max(1, Math.min(TH, Math.floor(BAND_BYTES / (TW * tileBytes))));
  return { Kp, OCp, eStride: (OCp / 4) * Kp * 8, TH, TW, band, tileBytesV };
}
