// int8 GEMM micro-kernel: out[p][oc] = requant(sum_k W[oc][k] * R[p][k] + bias[oc]) (or f32 when outF32 = 1, or
// the raw int32 sums without bias when outF32 = 2).
// R rows are int8 (activations with the zero point folded into the bias), W is pre-packed in blocks of 4 output
// channels x 16 k so the inner loop streams one contiguous block. Register block: 2 pixels x 4 channels.
//
// mode 0 (SIMD128): block layout [k/8][4 oc][8 int16] (weights pre-widened); i32x4.dot_i16x8_s on sign-extended x.
// mode 4: as mode 0 with int16 rows (from im2row16; rowStride in bytes).
// mode 1 / 2 (relaxed SIMD, only in the relaxed build): each weight w is split as w = p - n with p, n in [0, 127]
//   (the 7-bit operand rule of i32x4.relaxed_dot_i8x16_i7x16_add_s), layout [k/16][p: 4 oc x 16][n: 4 oc x 16].
//   acc += dot(x, p) + dot(~x, n) where ~x = -x - 1 stays in int8, so dot(~x, n) = -dot(x, n) - sum(n):
//   the packer adds sum(n) to the bias, making the result exact on every platform (no i16 saturation possible:
//   |x * p + x' * p'| <= 2 * 128 * 127 < 32768).
// mode 3 (relaxed build, "usdot"): int8 weights [k/16][4 oc][16]; rows flipped to u8 (x + 128) as the dot's second
//   operand; the packer folds -128 * sum(w) into the bias. Exact only where the runtime's dot multiplies that operand
//   as unsigned 8-bit with no i16 saturation (x64 AVX-VNNI vpdpbusd), which engine-select.ts checks at start.
import { requant4, hsum4, store4, magicZp } from './requant';

@inline
function storeF4(dst: usize, v: v128, n: i32): void {
  if (n >= 4) {
    v128.store(dst, v);
    return;
  }
  store<f32>(dst, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(dst, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(dst, f32x4.extract_lane(v, 2), 8);
}

/** dot(x, p) + dot(~x, n) per i32 lane via the non-accumulating relaxed i16 dot. */
@inline
function dot7(x: v128, nx: v128, p: v128, n: v128): v128 {
  if (!ASC_FEATURE_RELAXED_SIMD) return x;
  return i32x4.extadd_pairwise_i16x8_s(
    i16x8.add(i16x8.relaxed_dot_i8x16_i7x16_s(x, p), i16x8.relaxed_dot_i8x16_i7x16_s(nx, n)),
  );
}

export function gemm_q8(
  rows: usize, rowStride: i32, P: i32, chunks: i32, wpk: usize, OC: i32, mode: i32,
  bias: usize, scale: usize, zp: i32, lo: i32, hi: i32, dst: usize, dstStride: i32, outF32: i32,
): void {
  const zpv = magicZp(zp);
  const lof = f32x4.splat(<f32>(lo - zp));
  const hif = f32x4.splat(<f32>(hi - zp));
  const blockBytes = <usize>chunks * (mode == 3 ? 64 : 128);
  // Three-level tiling (why: the old pixel-tile x all-blocks order re-streamed rows from L2 for every block of 4
  // channels and scattered 4-byte stores over hundreds of output lines, halving speed at small K):
  //   pixel tile (~128 KB of rows, L2) > channel tile (~16 KB of packed weights, L1) > pixel pair > 4-channel block.
  // Within a pixel pair the rows (2 x K bytes) stay in L1 and outputs are written contiguously.
  const rs = max(rowStride, 16);
  const ptile = max(2, min(P, (<i32>(131072 / rs)) & ~1));
  const otile = max(4, min((OC + 3) & ~3, (<i32>(16384 / <i32>blockBytes)) << 2));
  for (let pt = 0; pt < P; pt += ptile) {
  const pEnd = min(P, pt + ptile);
  for (let ot = 0; ot < OC; ot += otile) {
  const oEnd = min(OC, ot + otile);
  for (let p = pt; p < pEnd; p += 2) {
    const r0 = rows + <usize>p * rowStride;
    const r1 = p + 1 < pEnd ? r0 + rowStride : r0;
    for (let ob = ot; ob < oEnd; ob += 4) {
      const w0 = wpk + <usize>(ob >> 2) * blockBytes;
      const bv = v128.load(bias + (<usize>ob << 2));
      const sv = v128.load(scale + (<usize>ob << 2));
      const n = min(OC - ob, 4);
      let a00 = i32x4.splat(0), a01 = a00, a02 = a00, a03 = a00;
      let a10 = a00, a11 = a00, a12 = a00, a13 = a00;
      let x0 = r0, x1 = r1, w = w0;
      if (ASC_FEATURE_RELAXED_SIMD && mode == 1) {
        for (let c = 0; c < chunks; c++) {
          const p0 = v128.load(x0), p1 = v128.load(x1);
          const n0 = v128.not(p0), n1 = v128.not(p1);
          let wp = v128.load(w), wn = v128.load(w, 64);
          a00 = i32x4.relaxed_dot_i8x16_i7x16_add_s(p0, wp, a00);
          a10 = i32x4.relaxed_dot_i8x16_i7x16_add_s(p1, wp, a10);
          a00 = i32x4.relaxed_dot_i8x16_i7x16_add_s(n0, wn, a00);
          a10 = i32x4.relaxed_dot_i8x16_i7x16_add_s(n1, wn, a10);
          wp = v128.load(w, 16); wn = v128.load(w, 80);
          a01 = i32x4.relaxed_dot_i8x16_i7x16_add_s(p0, wp, a01);
          a11 = i32x4.relaxed_dot_i8x16_i7x16_add_s(p1, wp, a11);
          a01 = i32x4.relaxed_dot_i8x16_i7x16_add_s(n0, wn, a01);
          a11 = i32x4.relaxed_dot_i8x16_i7x16_add_s(n1, wn, a11);
          wp = v128.load(w, 32); wn = v128.load(w, 96);
          a02 = i32x4.relaxed_dot_i8x16_i7x16_add_s(p0, wp, a02);
          a12 = i32x4.relaxed_dot_i8x16_i7x16_add_s(p1, wp, a12);
          a02 = i32x4.relaxed_dot_i8x16_i7x16_add_s(n0, wn, a02);
          a12 = i32x4.relaxed_dot_i8x16_i7x16_add_s(n1, wn, a12);
          wp = v128.load(w, 48); wn = v128.load(w, 112);
          a03 = i32x4.relaxed_dot_i8x16_i7x16_add_s(p0, wp, a03);
          a13 = i32x4.relaxed_dot_i8x16_i7x16_add_s(p1, wp, a13);
          a03 = i32x4.relaxed_dot_i8x16_i7x16_add_s(n0, wn, a03);
          a13 = i32x4.relaxed_dot_i8x16_i7x16_add_s(n1, wn, a13);
          x0 += 16; x1 += 16; w += 128;
        }
      } else if (ASC_FEATURE_RELAXED_SIMD && mode == 3) {
        // usdot: rows flipped to unsigned (x ^ 0x80 = x + 128) as the dot's second ("7-bit") operand, int8 weights
        // as the first. Only picked where the known-answer test shows the runtime multiplies that operand as u8
        // without i16 saturation (x64 AVX-VNNI's vpdpbusd): then every product and sum is exact.
        const flip = i8x16.splat(-128);
        const xEnd = x0 + (<usize>chunks << 4);
        while (x0 < xEnd) {
          const p0 = v128.xor(v128.load(x0), flip), p1 = v128.xor(v128.load(x1), flip);
          let wv = v128.load(w);
          a00 = i32x4.relaxed_dot_i8x16_i7x16_add_s(wv, p0, a00);
          a10 = i32x4.relaxed_dot_i8x16_i7x16_add_s(wv, p1, a10);
          wv = v128.load(w, 16);
          a01 = i32x4.relaxed_dot_i8x16_i7x16_add_s(wv, p0, a01);
          a11 = i32x4.relaxed_dot_i8x16_i7x16_add_s(wv, p1, a11);
          wv = v128.load(w, 32);
          a02 = i32x4.relaxed_dot_i8x16_i7x16_add_s(wv, p0, a02);
          a12 = i32x4.relaxed_dot_i8x16_i7x16_add_s(wv, p1, a12);
          wv = v128.load(w, 48);
          a03 = i32x4.relaxed_dot_i8x16_i7x16_add_s(wv, p0, a03);
          a13 = i32x4.relaxed_dot_i8x16_i7x16_add_s(wv, p1, a13);
          x0 += 16; x1 += 16; w += 64;
        }
      } else if (ASC_FEATURE_RELAXED_SIMD && mode == 2) {
        // Same packing as mode 1 without the fused accumulate (V8 11.x on x64 miscompiles
        // i32x4.relaxed_dot_i8x16_i7x16_add_s: it drops the accumulator). p and n are never both non-zero for one
        // weight, so the i16 sum of the two partial dots is bounded by 2 * 128 * 127 and cannot overflow.
        for (let c = 0; c < chunks; c++) {
          const p0 = v128.load(x0), p1 = v128.load(x1);
          const n0 = v128.not(p0), n1 = v128.not(p1);
          let wp = v128.load(w), wn = v128.load(w, 64);
          a00 = i32x4.add(a00, dot7(p0, n0, wp, wn));
          a10 = i32x4.add(a10, dot7(p1, n1, wp, wn));
          wp = v128.load(w, 16); wn = v128.load(w, 80);
          a01 = i32x4.add(a01, dot7(p0, n0, wp, wn));
          a11 = i32x4.add(a11, dot7(p1, n1, wp, wn));
          wp = v128.load(w, 32); wn = v128.load(w, 96);
          a02 = i32x4.add(a02, dot7(p0, n0, wp, wn));
          a12 = i32x4.add(a12, dot7(p1, n1, wp, wn));
          wp = v128.load(w, 48); wn = v128.load(w, 112);
          a03 = i32x4.add(a03, dot7(p0, n0, wp, wn));
          a13 = i32x4.add(a13, dot7(p1, n1, wp, wn));
          x0 += 16; x1 += 16; w += 128;
        }
      } else {
        // One half chunk (8 k) per iteration: TurboFan hoists every load of an iteration to its top, so a full
        // chunk (12 loads + 8 accumulators) spilled accumulators to the stack; 6 loads + 8 accumulators + 1 product
        // fit x64's 15 allocatable xmm registers.
        if (mode == 4) {
          // Rows pre-widened to int16 by im2row16: plain loads (sign-extending loads use the SIMD ports).
          const xEnd = x0 + (<usize>chunks << 5);
          while (x0 < xEnd) {
            const p0 = v128.load(x0), p1 = v128.load(x1);
            const w0v = v128.load(w), w1v = v128.load(w, 16);
            const w2v = v128.load(w, 32), w3v = v128.load(w, 48);
            a00 = i32x4.add(a00, i32x4.dot_i16x8_s(p0, w0v));
            a10 = i32x4.add(a10, i32x4.dot_i16x8_s(p1, w0v));
            a01 = i32x4.add(a01, i32x4.dot_i16x8_s(p0, w1v));
            a11 = i32x4.add(a11, i32x4.dot_i16x8_s(p1, w1v));
            a02 = i32x4.add(a02, i32x4.dot_i16x8_s(p0, w2v));
            a12 = i32x4.add(a12, i32x4.dot_i16x8_s(p1, w2v));
            a03 = i32x4.add(a03, i32x4.dot_i16x8_s(p0, w3v));
            a13 = i32x4.add(a13, i32x4.dot_i16x8_s(p1, w3v));
            x0 += 16; x1 += 16;
            w += 64;
          }
        } else {
        const xEnd = x0 + (<usize>chunks << 4);
        while (x0 < xEnd) {
          const p0 = v128.load8x8_s(x0), p1 = v128.load8x8_s(x1);
          const w0v = v128.load(w), w1v = v128.load(w, 16);
          const w2v = v128.load(w, 32), w3v = v128.load(w, 48);
          a00 = i32x4.add(a00, i32x4.dot_i16x8_s(p0, w0v));
          a10 = i32x4.add(a10, i32x4.dot_i16x8_s(p1, w0v));
          a01 = i32x4.add(a01, i32x4.dot_i16x8_s(p0, w1v));
          a11 = i32x4.add(a11, i32x4.dot_i16x8_s(p1, w1v));
          a02 = i32x4.add(a02, i32x4.dot_i16x8_s(p0, w2v));
          a12 = i32x4.add(a12, i32x4.dot_i16x8_s(p1, w2v));
          a03 = i32x4.add(a03, i32x4.dot_i16x8_s(p0, w3v));
          a13 = i32x4.add(a13, i32x4.dot_i16x8_s(p1, w3v));
          x0 += 8; x1 += 8;
          w += 64;
        }
        }
      }
      if (outF32 == 2) {
        // Raw int32 sums, no bias (Winograd's transformed products: winograd.ts transforms them back). OC is a
        // multiple of 4 there, so whole vectors are stored.
        v128.store(dst + ((<usize>p * dstStride + ob) << 2), hsum4(a00, a01, a02, a03));
        if (p + 1 < pEnd) v128.store(dst + ((<usize>(p + 1) * dstStride + ob) << 2), hsum4(a10, a11, a12, a13));
        continue;
      }
      if (outF32) {
        // Dequantized output (QGemm / QLinearMatMul feeding float ops): f32(acc + bias) * (x_scale * w_scale).
        storeF4(dst + ((<usize>p * dstStride + ob) << 2), f32x4.mul(f32x4.convert_i32x4_s(i32x4.add(hsum4(a00, a01, a02, a03), bv)), sv), n);
        if (p + 1 < pEnd) {
          storeF4(dst + ((<usize>(p + 1) * dstStride + ob) << 2), f32x4.mul(f32x4.convert_i32x4_s(i32x4.add(hsum4(a10, a11, a12, a13), bv)), sv), n);
        }
        continue;
      }
      const q0 = requant4(i32x4.add(hsum4(a00, a01, a02, a03), bv), sv, zpv, lof, hif);
      store4(dst + <usize>p * dstStride + ob, q0, n);
      if (p + 1 < pEnd) {
        const q1 = requant4(i32x4.add(hsum4(a10, a11, a12, a13), bv), sv, zpv, lof, hif);
        store4(dst + <usize>(p + 1) * dstStride + ob, q1, n);
      }
    }
  }
  }
  }
}
