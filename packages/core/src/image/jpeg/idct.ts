/**
 * 8x8 inverse DCT, bit-exact with libjpeg-turbo's JDCT_ISLOW (jidctint.c, jpeg_idct_islow: the Loeffler-Ligtenberg-
 * Moschytz algorithm in 13-bit fixed point with 2 extra bits between passes), dequantisation included. This is
 * what libjpeg-turbo, Pillow and browsers use by default; its SIMD versions produce the same output.
 */

/** Fixed-point constants: FIX(x) = round(x * 2^13). */
const F0_298 = 2446;
const F0_390 = 3196;
const F0_541 = 4433;
const F0_765 = 6270;
const F0_899 = 7373;
const F1_175 = 9633;
const F1_501 = 12299;
const F1_847 = 15137;
const F1_961 = 16069;
const F2_053 = 16819;
const F2_562 = 20995;
const F3_072 = 25172;

/**
 * libjpeg's post-IDCT range limit: the sample is (x & 1023) read as a signed 10-bit value plus 128, clamped to
 * 0..255 (so wildly out-of-range values from corrupt data wrap exactly as in libjpeg).
 */
export const RANGE_LIMIT = new Uint8Array(1024);
for (let i = 0; i < 1024; i++) {
  const s = i < 512 ? i : i - 1024;
  RANGE_LIMIT[i] = Math.max(0, Math.min(255, s + 128));
}

const ws = new Int32Array(64);

/** For column c, the smallest zigzag index among its AC rows 1..7: when a block's last nonzero coefficient comes
 * before it, the column is DC-only without looking. */
export const COL_FIRST_AC = new Uint8Array([2, 4, 7, 13, 16, 26, 29, 42]);

/** Output of a block whose only nonzero coefficient is DC (what every libjpeg IDCT size computes for it). */
export function dcValue(dc: number, q0: number): number {
  return RANGE_LIMIT[((dc * q0 + 4) >> 3) & 1023];
}

/**
 * Full 8x8 IDCT of the coefficients at coef[c..c+63] (natural order) with quantisation table q, writing 8 rows of
 * 8 samples to out[o + row * stride + col]. `last`: zigzag index of the last nonzero coefficient, if known.
 * Products use Math.imul (32-bit, like libjpeg-turbo's SIMD code): exact for every value a valid 8-bit JPEG yields.
 */
export function idct8x8(coef: Int16Array, c: number, q: Uint16Array, out: Uint8Array, o: number, stride: number, last = 63): void {
  // Pass 1: columns -> workspace, scaled by 2^2 (PASS1_BITS).
  for (let col = 0; col < 8; col++) {
    const i = c + col;
    if (COL_FIRST_AC[col] > last || coef[i + 8] === 0 && coef[i + 16] === 0 && coef[i + 24] === 0 && coef[i + 32] === 0 && coef[i + 40] === 0 && coef[i + 48] === 0 && coef[i + 56] === 0) {
      const d = (Math.imul(coef[i], q[col])) << 2;
      ws[col] = d;
      ws[col + 8] = d;
      ws[col + 16] = d;
      ws[col + 24] = d;
      ws[col + 32] = d;
      ws[col + 40] = d;
      ws[col + 48] = d;
      ws[col + 56] = d;
      continue;
    }
    let z2 = Math.imul(coef[i + 16], q[col + 16]);
    let z3 = Math.imul(coef[i + 48], q[col + 48]);
    let z1 = Math.imul(z2 + z3, F0_541);
    let tmp2 = z1 - Math.imul(z3, F1_847);
    let tmp3 = z1 + Math.imul(z2, F0_765);
    z2 = Math.imul(coef[i], q[col]);
    z3 = Math.imul(coef[i + 32], q[col + 32]);
    let tmp0 = (z2 + z3) << 13;
    let tmp1 = (z2 - z3) << 13;
    const tmp10 = tmp0 + tmp3;
    const tmp13 = tmp0 - tmp3;
    const tmp11 = tmp1 + tmp2;
    const tmp12 = tmp1 - tmp2;
    tmp0 = Math.imul(coef[i + 56], q[col + 56]);
    tmp1 = Math.imul(coef[i + 40], q[col + 40]);
    tmp2 = Math.imul(coef[i + 24], q[col + 24]);
    tmp3 = Math.imul(coef[i + 8], q[col + 8]);
    z1 = tmp0 + tmp3;
    z2 = tmp1 + tmp2;
    z3 = tmp0 + tmp2;
    let z4 = tmp1 + tmp3;
    const z5 = Math.imul(z3 + z4, F1_175);
    tmp0 = Math.imul(tmp0, F0_298);
    tmp1 = Math.imul(tmp1, F2_053);
    tmp2 = Math.imul(tmp2, F3_072);
    tmp3 = Math.imul(tmp3, F1_501);
    z1 = Math.imul(z1, -F0_899);
    z2 = Math.imul(z2, -F2_562);
    z3 = Math.imul(z3, -F1_961) + z5;
    z4 = Math.imul(z4, -F0_390) + z5;
    tmp0 += z1 + z3;
    tmp1 += z2 + z4;
    tmp2 += z2 + z3;
    tmp3 += z1 + z4;
    // DESCALE(x, 11) = (x + 2^10) >> 11
    ws[col] = (tmp10 + tmp3 + 1024) >> 11;
    ws[col + 56] = (tmp10 - tmp3 + 1024) >> 11;
    ws[col + 8] = (tmp11 + tmp2 + 1024) >> 11;
    ws[col + 48] = (tmp11 - tmp2 + 1024) >> 11;
    ws[col + 16] = (tmp12 + tmp1 + 1024) >> 11;
    ws[col + 40] = (tmp12 - tmp1 + 1024) >> 11;
    ws[col + 24] = (tmp13 + tmp0 + 1024) >> 11;
    ws[col + 32] = (tmp13 - tmp0 + 1024) >> 11;
  }
  const R = RANGE_LIMIT;
  // Pass 2: rows -> samples, descaled by 2^(13 + 2 + 3) with the +128 level shift in RANGE_LIMIT.
  for (let row = 0; row < 8; row++) {
    const w = row * 8;
    const p = o + row * stride;
    if (ws[w + 1] === 0 && ws[w + 2] === 0 && ws[w + 3] === 0 && ws[w + 4] === 0 && ws[w + 5] === 0 && ws[w + 6] === 0 && ws[w + 7] === 0) {
      const v = R[((ws[w] + 16) >> 5) & 1023];
      out[p] = v;
      out[p + 1] = v;
      out[p + 2] = v;
      out[p + 3] = v;
      out[p + 4] = v;
      out[p + 5] = v;
      out[p + 6] = v;
      out[p + 7] = v;
      continue;
    }
    let z2 = ws[w + 2];
    let z3 = ws[w + 6];
    let z1 = Math.imul(z2 + z3, F0_541);
    let tmp2 = z1 - Math.imul(z3, F1_847);
    let tmp3 = z1 + Math.imul(z2, F0_765);
    let tmp0 = (ws[w] + ws[w + 4]) << 13;
    let tmp1 = (ws[w] - ws[w + 4]) << 13;
    const tmp10 = tmp0 + tmp3;
    const tmp13 = tmp0 - tmp3;
    const tmp11 = tmp1 + tmp2;
    const tmp12 = tmp1 - tmp2;
    tmp0 = ws[w + 7];
    tmp1 = ws[w + 5];
    tmp2 = ws[w + 3];
    tmp3 = ws[w + 1];
    z1 = tmp0 + tmp3;
    z2 = tmp1 + tmp2;
    z3 = tmp0 + tmp2;
    let z4 = tmp1 + tmp3;
    const z5 = Math.imul(z3 + z4, F1_175);
    tmp0 = Math.imul(tmp0, F0_298);
    tmp1 = Math.imul(tmp1, F2_053);
    tmp2 = Math.imul(tmp2, F3_072);
    tmp3 = Math.imul(tmp3, F1_501);
    z1 = Math.imul(z1, -F0_899);
    z2 = Math.imul(z2, -F2_562);
    z3 = Math.imul(z3, -F1_961) + z5;
    z4 = Math.imul(z4, -F0_390) + z5;
    tmp0 += z1 + z3;
    tmp1 += z2 + z4;
    tmp2 += z2 + z3;
    tmp3 += z1 + z4;
    // DESCALE(x, 18) = (x + 2^17) >> 18
    out[p] = R[((tmp10 + tmp3 + 131072) >> 18) & 1023];
    out[p + 7] = R[((tmp10 - tmp3 + 131072) >> 18) & 1023];
    out[p + 1] = R[((tmp11 + tmp2 + 131072) >> 18) & 1023];
    out[p + 6] = R[((tmp11 - tmp2 + 131072) >> 18) & 1023];
    out[p + 2] = R[((tmp12 + tmp1 + 131072) >> 18) & 1023];
    out[p + 5] = R[((tmp12 - tmp1 + 131072) >> 18) & 1023];
    out[p + 3] = R[((tmp13 + tmp0 + 131072) >> 18) & 1023];
    out[p + 4] = R[((tmp13 - tmp0 + 131072) >> 18) & 1023];
  }
}

/** Fills an n x n output block with one value (DC-only block at any IDCT size). Plain stores: 2-3x faster than
 * TypedArray.fill for runs this short. */
export function fillBlock(v: number, n: number, out: Uint8Array, o: number, stride: number): void {
  for (let r = 0; r < n; r++) {
    const p = o + r * stride;
    for (let i = 0; i < n; i++) out[p + i] = v;
  }
}
