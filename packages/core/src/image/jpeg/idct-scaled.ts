/**
 * Reduced-size inverse DCTs for DCT-domain scaling, bit-exact with libjpeg-turbo's jidctred.c (jpeg_idct_4x4,
 * jpeg_idct_2x2, jpeg_idct_1x1): an 8x8 coefficient block straight to 4x4, 2x2 or 1x1 samples. They read only
 * some coefficients: 4x4 skips row/column 4, 2x2 uses rows/columns 0, 1, 3, 5, 7, 1x1 only DC.
 */
import { COL_FIRST_AC, RANGE_LIMIT } from './idct.js';

const F0_211 = 1730;
const F0_509 = 4176;
const F0_601 = 4926;
const F0_720 = 5906;
const F0_765 = 6270;
const F0_850 = 6967;
const F0_899 = 7373;
const F1_061 = 8697;
const F1_272 = 10426;
const F1_451 = 11893;
const F1_847 = 15137;
const F2_172 = 17799;
const F2_562 = 20995;
const F3_624 = 29692;

const ws = new Int32Array(64);

/** Natural indices each reduced IDCT reads (used to size the progressive coefficient store). */
export function coefficientsUsed(size: 1 | 2 | 4 | 8): number[] {
  const keep = size === 8 ? [0, 1, 2, 3, 4, 5, 6, 7] : size === 4 ? [0, 1, 2, 3, 5, 6, 7] : size === 2 ? [0, 1, 3, 5, 7] : [0];
  const out: number[] = [];
  for (const r of keep) for (const c of keep) out.push(r * 8 + c);
  return out;
}

/** 8x8 coefficients -> 4x4 samples (jpeg_idct_4x4). `last`: zigzag index of the last nonzero coefficient, if known. */
export function idct4x4(coef: Int16Array, c: number, q: Uint16Array, out: Uint8Array, o: number, stride: number, last = 63): void {
  for (let col = 0; col < 8; col++) {
    if (col === 4) continue;
    const i = c + col;
    if (COL_FIRST_AC[col] > last || coef[i + 8] === 0 && coef[i + 16] === 0 && coef[i + 24] === 0 && coef[i + 40] === 0 && coef[i + 48] === 0 && coef[i + 56] === 0) {
      const d = (coef[i] * q[col]) << 2;
      ws[col] = d;
      ws[col + 8] = d;
      ws[col + 16] = d;
      ws[col + 24] = d;
      continue;
    }
    let tmp0 = Math.imul(coef[i], q[col]) << 14;
    const z2 = Math.imul(coef[i + 16], q[col + 16]);
    const z3 = Math.imul(coef[i + 48], q[col + 48]);
    let tmp2 = Math.imul(z2, F1_847) - Math.imul(z3, F0_765);
    const tmp10 = tmp0 + tmp2;
    const tmp12 = tmp0 - tmp2;
    const y7 = Math.imul(coef[i + 56], q[col + 56]);
    const y5 = Math.imul(coef[i + 40], q[col + 40]);
    const y3 = Math.imul(coef[i + 24], q[col + 24]);
    const y1 = Math.imul(coef[i + 8], q[col + 8]);
    tmp0 = -Math.imul(y7, F0_211) + Math.imul(y5, F1_451) - Math.imul(y3, F2_172) + Math.imul(y1, F1_061);
    tmp2 = -Math.imul(y7, F0_509) - Math.imul(y5, F0_601) + Math.imul(y3, F0_899) + Math.imul(y1, F2_562);
    // DESCALE(x, 12)
    ws[col] = (tmp10 + tmp2 + 2048) >> 12;
    ws[col + 24] = (tmp10 - tmp2 + 2048) >> 12;
    ws[col + 8] = (tmp12 + tmp0 + 2048) >> 12;
    ws[col + 16] = (tmp12 - tmp0 + 2048) >> 12;
  }
  const R = RANGE_LIMIT;
  for (let row = 0; row < 4; row++) {
    const w = row * 8;
    const p = o + row * stride;
    if (ws[w + 1] === 0 && ws[w + 2] === 0 && ws[w + 3] === 0 && ws[w + 5] === 0 && ws[w + 6] === 0 && ws[w + 7] === 0) {
      const v = R[((ws[w] + 16) >> 5) & 1023];
      out[p] = v;
      out[p + 1] = v;
      out[p + 2] = v;
      out[p + 3] = v;
      continue;
    }
    let tmp0 = ws[w] << 14;
    let tmp2 = Math.imul(ws[w + 2], F1_847) - Math.imul(ws[w + 6], F0_765);
    const tmp10 = tmp0 + tmp2;
    const tmp12 = tmp0 - tmp2;
    const y7 = ws[w + 7];
    const y5 = ws[w + 5];
    const y3 = ws[w + 3];
    const y1 = ws[w + 1];
    tmp0 = -Math.imul(y7, F0_211) + Math.imul(y5, F1_451) - Math.imul(y3, F2_172) + Math.imul(y1, F1_061);
    tmp2 = -Math.imul(y7, F0_509) - Math.imul(y5, F0_601) + Math.imul(y3, F0_899) + Math.imul(y1, F2_562);
    // DESCALE(x, 19)
    out[p] = R[((tmp10 + tmp2 + 262144) >> 19) & 1023];
    out[p + 3] = R[((tmp10 - tmp2 + 262144) >> 19) & 1023];
    out[p + 1] = R[((tmp12 + tmp0 + 262144) >> 19) & 1023];
    out[p + 2] = R[((tmp12 - tmp0 + 262144) >> 19) & 1023];
  }
}

/** 8x8 coefficients -> 2x2 samples (jpeg_idct_2x2). `last` as for idct4x4. */
export function idct2x2(coef: Int16Array, c: number, q: Uint16Array, out: Uint8Array, o: number, stride: number, last = 63): void {
  for (let col = 0; col < 8; col++) {
    if (col === 2 || col === 4 || col === 6) continue;
    const i = c + col;
    if (COL_FIRST_AC[col] > last || coef[i + 8] === 0 && coef[i + 24] === 0 && coef[i + 40] === 0 && coef[i + 56] === 0) {
      const d = (coef[i] * q[col]) << 2;
      ws[col] = d;
      ws[col + 8] = d;
      continue;
    }
    const tmp10 = Math.imul(coef[i], q[col]) << 15;
    const tmp0 =
      -Math.imul(Math.imul(coef[i + 56], q[col + 56]), F0_720) + Math.imul(Math.imul(coef[i + 40], q[col + 40]), F0_850) -
      Math.imul(Math.imul(coef[i + 24], q[col + 24]), F1_272) + Math.imul(Math.imul(coef[i + 8], q[col + 8]), F3_624);
    // DESCALE(x, 13)
    ws[col] = (tmp10 + tmp0 + 4096) >> 13;
    ws[col + 8] = (tmp10 - tmp0 + 4096) >> 13;
  }
  const R = RANGE_LIMIT;
  for (let row = 0; row < 2; row++) {
    const w = row * 8;
    const p = o + row * stride;
    if (ws[w + 1] === 0 && ws[w + 3] === 0 && ws[w + 5] === 0 && ws[w + 7] === 0) {
      const v = R[((ws[w] + 16) >> 5) & 1023];
      out[p] = v;
      out[p + 1] = v;
      continue;
    }
    const tmp10 = ws[w] << 15;
    const tmp0 = -Math.imul(ws[w + 7], F0_720) + Math.imul(ws[w + 5], F0_850) - Math.imul(ws[w + 3], F1_272) + Math.imul(ws[w + 1], F3_624);
    // DESCALE(x, 20)
    out[p] = R[((tmp10 + tmp0 + 524288) >> 20) & 1023];
    out[p + 1] = R[((tmp10 - tmp0 + 524288) >> 20) & 1023];
  }
}

/** 8x8 coefficients -> 1 sample (jpeg_idct_1x1): the rounded mean. */
export function idct1x1(coef: Int16Array, c: number, q: Uint16Array, out: Uint8Array, o: number): void {
  out[o] = RANGE_LIMIT[((Math.imul(coef[c], q[0]) + 4) >> 3) & 1023];
}
