// Exact integer Winograd F(2x2, 3x3) for stride-1 3x3 convs (TS reference: src/engine/ops/conv/winograd.ts).
// Y = A^T [U' (.) V] A / 4 with V = B^T d B (d: a 4x4 input tile, int8, out-of-image taps = the input zero point,
// which the bias folds out as in the direct conv) and U' = G' g G'^T, G' = 2G so U' is integral (int16).
//   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]   G' = [2 0 0; 1 1 1; 1 -1 1; 0 0 2]   A^T = [1 1 1 0; 0 1 -1 -1]
// |d| <= 128 so |V| <= 512 and |U'| <= 9 * 128; the 16 products are 16 GEMMs over input channels (gemm_q8 mode 4
// with outF32 = 2: int32 sums). The host proves from the weights that no int32 sum can overflow (else direct conv):
// src/engine/ops/conv/winograd.ts winogradBound.
// Layouts: V [tile][16][Kp] int16, M [tile][16][OCp] int32, U' per e: gemm_q8 mode-0 blocks of int16.
import { requant4, magicZp, store4 } from './requant';

/**
 * Transforms one conv's int8 OHWI weights `src` [OC][3][3][C] into U' = G' g G'^T: for each of the 16 positions e,
 * gemm_q8 mode-0 blocks [OC/4][Kp/8][4][8] of int16 at dst + e * eStride (zero padded).
 */
export function wino_pack(src: usize, OC: i32, C: i32, dst: usize, eStride: usize): void {
  const Kp = (C + 15) & ~15;
  const blockBytes = <usize>Kp * 8;
  memory.fill(dst, 0, eStride * 16);
  for (let o = 0; o < OC; o++) {
    const w = src + <usize>o * 9 * C;
    const blk = dst + <usize>(o >> 2) * blockBytes + <usize>(o & 3) * 16;
    let c = 0;
    for (; c + 8 <= C; c += 8) {
      // g[ky][kx], 8 channels per vector.
      const g00 = v128.load8x8_s(w + c), g01 = v128.load8x8_s(w + C + c), g02 = v128.load8x8_s(w + 2 * C + c);
      const g10 = v128.load8x8_s(w + 3 * C + c), g11 = v128.load8x8_s(w + 4 * C + c), g12 = v128.load8x8_s(w + 5 * C + c);
      const g20 = v128.load8x8_s(w + 6 * C + c), g21 = v128.load8x8_s(w + 7 * C + c), g22 = v128.load8x8_s(w + 8 * C + c);
      const at = blk + <usize>(c >> 3) * 64;
      // Rows of G' g (over ky), then each row times G'^T (over kx).
      packRow(i16x8.shl(g00, 1), i16x8.shl(g01, 1), i16x8.shl(g02, 1), at, eStride, 0);
      packRow(i16x8.add(i16x8.add(g00, g10), g20), i16x8.add(i16x8.add(g01, g11), g21), i16x8.add(i16x8.add(g02, g12), g22), at, eStride, 1);
      packRow(i16x8.add(i16x8.sub(g00, g10), g20), i16x8.add(i16x8.sub(g01, g11), g21), i16x8.add(i16x8.sub(g02, g12), g22), at, eStride, 2);
      packRow(i16x8.shl(g20, 1), i16x8.shl(g21, 1), i16x8.shl(g22, 1), at, eStride, 3);
    }
    for (; c < C; c++) {
      const at = blk + <usize>(c >> 3) * 64 + <usize>(c & 7) * 2;
      for (let i = 0; i < 4; i++) {
        // Row i of G' g: combination of the kernel rows.
        let h0 = 0, h1 = 0, h2 = 0;
        for (let ky = 0; ky < 3; ky++) {
          const f = gCoef(i, ky);
          h0 += f * <i32>load<i8>(w + <usize>(ky * 3) * C + c);
          h1 += f * <i32>load<i8>(w + <usize>(ky * 3 + 1) * C + c);
          h2 += f * <i32>load<i8>(w + <usize>(ky * 3 + 2) * C + c);
        }
        const u0 = 2 * h0, u1 = h0 + h1 + h2, u2 = h0 - h1 + h2, u3 = 2 * h2;
        store<i16>(at + <usize>(i * 4) * eStride, <i16>u0);
        store<i16>(at + <usize>(i * 4 + 1) * eStride, <i16>u1);
        store<i16>(at + <usize>(i * 4 + 2) * eStride, <i16>u2);
        store<i16>(at + <usize>(i * 4 + 3) * eStride, <i16>u3);
      }
    }
  }
}

/** G'[i][ky]. */
@inline
function gCoef(i: i32, ky: i32): i32 {
  if (i == 0) return ky == 0 ? 2 : 0;
  if (i == 3) return ky == 2 ? 2 : 0;
  return i == 2 && ky == 1 ? -1 : 1;
}

/** Row i of G' g (h0, h1, h2 over kx) times G'^T: stores U'[i][0..3]. */
@inline
function packRow(h0: v128, h1: v128, h2: v128, at: usize, eStride: usize, i: i32): void {
  const e = <usize>i * 4;
  v128.store(at + e * eStride, i16x8.shl(h0, 1));
  v128.store(at + (e + 1) * eStride, i16x8.add(i16x8.add(h0, h1), h2));
  v128.store(at + (e + 2) * eStride, i16x8.add(i16x8.sub(h0, h1), h2));
  v128.store(at + (e + 3) * eStride, i16x8.shl(h2, 1));
}

/**
 * Input transform of tile rows [ty0, ty0 + nty) x tile columns [0, TW) of an NHWC int8 image (channel stride Cs):
 * V = B^T d B per tile and 8 channels, into dst [tile][16][Kp] int16. Tile (ty, tx) reads input rows
 * 2 ty - ph .. + 3 and columns 2 tx - pw .. + 3; taps outside the image read the zero point `zp`.
 */
export function wino_input(src: usize, H: i32, W: i32, Cs: i32, Kp: i32, ph: i32, pw: i32, ty0: i32, nty: i32, TW: i32, zp: i32, dst: usize): void {
  const zv = i16x8.splat(<i16>zp);
  const tileBytes = <usize>Kp * 32, eBytes = <usize>Kp * 2;
  let d = dst;
  for (let ty = ty0; ty < ty0 + nty; ty++) {
    const iy = 2 * ty - ph;
    for (let tx = 0; tx < TW; tx++) {
      const ix = 2 * tx - pw;
      const inside = iy >= 0 && iy + 3 < H && ix >= 0 && ix + 3 < W;
      const base = src + <usize>(iy * W + ix) * Cs;
      const rs = <usize>W * Cs;
      for (let c = 0; c < Kp; c += 8) {
        let d00: v128, d01: v128, d02: v128, d03: v128, d10: v128, d11: v128, d12: v128, d13: v128;
        let d20: v128, d21: v128, d22: v128, d23: v128, d30: v128, d31: v128, d32: v128, d33: v128;
        if (inside) {
          const p = base + c;
          d00 = v128.load8x8_s(p); d01 = v128.load8x8_s(p + Cs); d02 = v128.load8x8_s(p + 2 * Cs); d03 = v128.load8x8_s(p + 3 * Cs);
          d10 = v128.load8x8_s(p + rs); d11 = v128.load8x8_s(p + rs + Cs); d12 = v128.load8x8_s(p + rs + 2 * Cs); d13 = v128.load8x8_s(p + rs + 3 * Cs);
          d20 = v128.load8x8_s(p + 2 * rs); d21 = v128.load8x8_s(p + 2 * rs + Cs); d22 = v128.load8x8_s(p + 2 * rs + 2 * Cs); d23 = v128.load8x8_s(p + 2 * rs + 3 * Cs);
          d30 = v128.load8x8_s(p + 3 * rs); d31 = v128.load8x8_s(p + 3 * rs + Cs); d32 = v128.load8x8_s(p + 3 * rs + 2 * Cs); d33 = v128.load8x8_s(p + 3 * rs + 3 * Cs);
        } else {
          d00 = tap(src, H, W, Cs, iy, ix, c, zv); d01 = tap(src, H, W, Cs, iy, ix + 1, c, zv); d02 = tap(src, H, W, Cs, iy, ix + 2, c, zv); d03 = tap(src, H, W, Cs, iy, ix + 3, c, zv);
          d10 = tap(src, H, W, Cs, iy + 1, ix, c, zv); d11 = tap(src, H, W, Cs, iy + 1, ix + 1, c, zv); d12 = tap(src, H, W, Cs, iy + 1, ix + 2, c, zv); d13 = tap(src, H, W, Cs, iy + 1, ix + 3, c, zv);
          d20 = tap(src, H, W, Cs, iy + 2, ix, c, zv); d21 = tap(src, H, W, Cs, iy + 2, ix + 1, c, zv); d22 = tap(src, H, W, Cs, iy + 2, ix + 2, c, zv); d23 = tap(src, H, W, Cs, iy + 2, ix + 3, c, zv);
          d30 = tap(src, H, W, Cs, iy + 3, ix, c, zv); d31 = tap(src, H, W, Cs, iy + 3, ix + 1, c, zv); d32 = tap(src, H, W, Cs, iy + 3, ix + 2, c, zv); d33 = tap(src, H, W, Cs, iy + 3, ix + 3, c, zv);
        }
        // Rows of B^T d (over r), then each times B (over columns).
        const o = d + <usize>c * 2;
        inRow(i16x8.sub(d00, d20), i16x8.sub(d01, d21), i16x8.sub(d02, d22), i16x8.sub(d03, d23), o, eBytes);
        inRow(i16x8.add(d10, d20), i16x8.add(d11, d21), i16x8.add(d12, d22), i16x8.add(d13, d23), o + 4 * eBytes, eBytes);
        inRow(i16x8.sub(d20, d10), i16x8.sub(d21, d11), i16x8.sub(d22, d12), i16x8.sub(d23, d13), o + 8 * eBytes, eBytes);
        inRow(i16x8.sub(d10, d30), i16x8.sub(d11, d31), i16x8.sub(d12, d32), i16x8.sub(d13, d33), o + 12 * eBytes, eBytes);
      }
      d += tileBytes;
    }
  }
}

@inline
function tap(src: usize, H: i32, W: i32, Cs: i32, y: i32, x: i32, c: i32, zv: v128): v128 {
  return y >= 0 && y < H && x >= 0 && x < W ? v128.load8x8_s(src + <usize>(y * W + x) * Cs + c) : zv;
}

/** One row t of B^T d times B: [t0 - t2, t1 + t2, t2 - t1, t1 - t3] at o, o + e, o + 2e, o + 3e. */
@inline
function inRow(t0: v128, t1: v128, t2: v128, t3: v128, o: usize, e: usize): void {
  v128.store(o, i16x8.sub(t0, t2));
  v128.store(o + e, i16x8.add(t1, t2));
  v128.store(o + 2 * e, i16x8.sub(t2, t1));
  v128.store(o + 3 * e, i16x8.sub(t1, t3));
}

/**
 * Output transform of the tiles wino_input wrote: Y = (A^T M A) >> 2 (exact: A^T M A is 4 Y), + bias, requantized
 * as gemm_q8 does, into the NHWC int8 output (channel stride dstCs); a tile's second row/column past OH/OW is
 * dropped. M is [tile][16][OCp] int32.
 */
export function wino_output(
  M: usize, OCp: i32, OC: i32, ty0: i32, nty: i32, TW: i32, OH: i32, OW: i32,
  bias: usize, scale: usize, zp: i32, lo: i32, hi: i32, dst: usize, dstCs: i32,
): void {
  outputTiles(M, OCp, OC, ty0, nty, TW, OH, OW, bias, scale, zp, lo, hi, dst, dstCs, false);
}

/**
 * wino_output with a float result (ConvInteger): y = f32(Y + bias) * scale per channel, as gemm_q8's outF32 = 1
 * computes it from the direct sums, into an NHWC f32 output with channel stride dstCs (floats).
 */
export function wino_output_f32(
  M: usize, OCp: i32, OC: i32, ty0: i32, nty: i32, TW: i32, OH: i32, OW: i32, bias: usize, scale: usize, dst: usize, dstCs: i32,
): void {
  outputTiles(M, OCp, OC, ty0, nty, TW, OH, OW, bias, scale, 0, 0, 0, dst, dstCs, true);
}

/** The inverse transform both outputs share; `f32` (a constant at each call) picks the store. */
@inline
function outputTiles(
  M: usize, OCp: i32, OC: i32, ty0: i32, nty: i32, TW: i32, OH: i32, OW: i32,
  bias: usize, scale: usize, zp: i32, lo: i32, hi: i32, dst: usize, dstCs: i32, f32: bool,
): void {
  const zpv = magicZp(zp);
  const lof = f32x4.splat(<f32>(lo - zp));
  const hif = f32x4.splat(<f32>(hi - zp));
  const es: usize = f32 ? 4 : 1; // bytes per output value
  const eb = <usize>OCp * 4;
  const c2 = <usize>dstCs * es;
  let m = M;
  for (let ty = ty0; ty < ty0 + nty; ty++) {
    const oy = 2 * ty;
    const row2 = oy + 1 < OH;
    for (let tx = 0; tx < TW; tx++) {
      const ox = 2 * tx;
      const col2 = ox + 1 < OW;
      const o00 = dst + <usize>(oy * OW + ox) * c2;
      const o10 = o00 + <usize>OW * c2;
      for (let ob = 0; ob < OC; ob += 4) {
        const p = m + (<usize>ob << 2);
        // A^T M: s0 = m0 + m1 + m2, s1 = m1 - m2 - m3 (rows), per column j.
        const m0 = v128.load(p), m1 = v128.load(p + eb), m2 = v128.load(p + 2 * eb), m3 = v128.load(p + 3 * eb);
        const m4 = v128.load(p + 4 * eb), m5 = v128.load(p + 5 * eb), m6 = v128.load(p + 6 * eb), m7 = v128.load(p + 7 * eb);
        const m8 = v128.load(p + 8 * eb), m9 = v128.load(p + 9 * eb), m10 = v128.load(p + 10 * eb), m11 = v128.load(p + 11 * eb);
        const m12 = v128.load(p + 12 * eb), m13 = v128.load(p + 13 * eb), m14 = v128.load(p + 14 * eb), m15 = v128.load(p + 15 * eb);
        const s00 = i32x4.add(i32x4.add(m0, m4), m8), s01 = i32x4.add(i32x4.add(m1, m5), m9);
        const s02 = i32x4.add(i32x4.add(m2, m6), m10), s03 = i32x4.add(i32x4.add(m3, m7), m11);
        const s10 = i32x4.sub(i32x4.sub(m4, m8), m12), s11 = i32x4.sub(i32x4.sub(m5, m9), m13);
        const s12 = i32x4.sub(i32x4.sub(m6, m10), m14), s13 = i32x4.sub(i32x4.sub(m7, m11), m15);
        const bv = v128.load(bias + (<usize>ob << 2)), sv = v128.load(scale + (<usize>ob << 2));
        const n = min(OC - ob, 4);
        const at = <usize>ob * es;
        put(o00 + at, i32x4.add(i32x4.shr_s(i32x4.add(i32x4.add(s00, s01), s02), 2), bv), sv, zpv, lof, hif, n, f32);
        if (col2) put(o00 + c2 + at, i32x4.add(i32x4.shr_s(i32x4.sub(i32x4.sub(s01, s02), s03), 2), bv), sv, zpv, lof, hif, n, f32);
        if (row2) {
          put(o10 + at, i32x4.add(i32x4.shr_s(i32x4.add(i32x4.add(s10, s11), s12), 2), bv), sv, zpv, lof, hif, n, f32);
          if (col2) put(o10 + c2 + at, i32x4.add(i32x4.shr_s(i32x4.sub(i32x4.sub(s11, s12), s13), 2), bv), sv, zpv, lof, hif, n, f32);
        }
      }
      m += eb * 16;
    }
  }
}

/** Stores n (1..4) outputs y (int32 with bias): requantized int8, or f32(y) * scale. */
@inline
function put(o: usize, y: v128, sv: v128, zpv: v128, lof: v128, hif: v128, n: i32, f32: bool): void {
  if (f32) storeF(o, f32x4.mul(f32x4.convert_i32x4_s(y), sv), n);
  else store4(o, requant4(y, sv, zpv, lof, hif), n);
}

/**
 * wino_pack for int16 OHWI weights (ConvInteger's w - zw, 9 bits: |U'| <= 9 * 255 still fits int16), the same
 * layout. Scalar: it runs once per layer at load.
 */
export function wino_pack16(src: usize, OC: i32, C: i32, dst: usize, eStride: usize): void {
  const Kp = (C + 15) & ~15;
  const blockBytes = <usize>Kp * 8;
  memory.fill(dst, 0, eStride * 16);
  for (let o = 0; o < OC; o++) {
    const w = src + (<usize>o * 9 * C << 1);
    const blk = dst + <usize>(o >> 2) * blockBytes + <usize>(o & 3) * 16;
    for (let c = 0; c < C; c++) {
      const at = blk + <usize>(c >> 3) * 64 + <usize>(c & 7) * 2;
      for (let i = 0; i < 4; i++) {
        let h0 = 0, h1 = 0, h2 = 0;
        for (let ky = 0; ky < 3; ky++) {
          const f = gCoef(i, ky);
          h0 += f * <i32>load<i16>(w + (<usize>(ky * 3 * C + c) << 1));
          h1 += f * <i32>load<i16>(w + (<usize>((ky * 3 + 1) * C + c) << 1));
          h2 += f * <i32>load<i16>(w + (<usize>((ky * 3 + 2) * C + c) << 1));
        }
        store<i16>(at + <usize>(i * 4) * eStride, <i16>(2 * h0));
        store<i16>(at + <usize>(i * 4 + 1) * eStride, <i16>(h0 + h1 + h2));
        store<i16>(at + <usize>(i * 4 + 2) * eStride, <i16>(h0 - h1 + h2));
        store<i16>(at + <usize>(i * 4 + 3) * eStride, <i16>(2 * h2));
      }
    }
  }
}

/** Stores the first n (1..4) f32 lanes of v at p. */
@inline
function storeF(p: usize, v: v128, n: i32): void {
  if (n == 4) {
    v128.store(p, v);
    return;
  }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(p + 4, f32x4.extract_lane(v, 1));
  if (n > 2) store<f32>(p + 8, f32x4.extract_lane(v, 2));
}
