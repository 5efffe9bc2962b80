// Pooling over NHWC int8 tensors (channel stride Cs, a multiple of 16), 16 channels per step.
import { requant4, magicZp } from './requant';

/** MaxPool: padding cells are ignored (as onnxruntime); an all-padding window yields -128. */
export function maxpool_q8(
  src: usize, H: i32, W: i32, Cs: i32, KH: i32, KW: i32, sh: i32, sw: i32, ph: i32, pw: i32,
  dh: i32, dw: i32, OH: i32, OW: i32, dst: usize,
): void {
  let d = dst;
  for (let oy = 0; oy < OH; oy++) {
    for (let ox = 0; ox < OW; ox++) {
      for (let c = 0; c < Cs; c += 16) {
        let m = i8x16.splat(-128);
        for (let ky = 0; ky < KH; ky++) {
          const iy = oy * sh - ph + ky * dh;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < KW; kx++) {
            const ix = ox * sw - pw + kx * dw;
            if (ix < 0 || ix >= W) continue;
            m = i8x16.max_s(m, v128.load(src + <usize>(iy * W + ix) * Cs + c));
          }
        }
        v128.store(d + c, m);
      }
      d += Cs;
    }
  }
}

/**
 * Average pool with requantization: y = sat(nearest(f32(sum(x) - zin * count) * mul) + zout), where
 * mul = scale / divisor. divisor is `count` of valid cells (countIncludePad = 0), the window clipped to the padded
 * image (1), and
 * for GlobalAveragePool the caller passes the window = whole image so mul = sx / (sy * H * W) as MLAS does.
 */
export function avgpool_q8(
  src: usize, H: i32, W: i32, Cs: i32, KH: i32, KW: i32, sh: i32, sw: i32, ph: i32, pw: i32,
  pb: i32, pr: i32, OH: i32, OW: i32, countIncludePad: i32, zin: i32, scale: f32, zout: i32, dst: usize,
): void {
  const zv = magicZp(zout);
  const lof = f32x4.splat(<f32>(<i32>-128 - zout)), hif = f32x4.splat(<f32>(<i32>127 - zout));
  let d = dst;
  for (let oy = 0; oy < OH; oy++) {
    for (let ox = 0; ox < OW; ox++) {
      let count = 0, padded = 0;
      for (let ky = 0; ky < KH; ky++) {
        const iy = oy * sh - ph + ky;
        for (let kx = 0; kx < KW; kx++) {
          const ix = ox * sw - pw + kx;
          if (iy >= 0 && iy < H && ix >= 0 && ix < W) count++;
          // count_include_pad counts explicit padding, not a ceil_mode overhang past it.
          if (iy < H + pb && ix < W + pr) padded++;
        }
      }
      const divisor = countIncludePad ? padded : count;
      const mul = f32x4.splat(divisor > 0 ? scale / <f32>divisor : 0);
      const bias = i32x4.splat(-zin * count);
      for (let c = 0; c < Cs; c += 16) {
        let s0 = bias, s1 = bias, s2 = bias, s3 = bias;
        for (let ky = 0; ky < KH; ky++) {
          const iy = oy * sh - ph + ky;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < KW; kx++) {
            const ix = ox * sw - pw + kx;
            if (ix < 0 || ix >= W) continue;
            const v = v128.load(src + <usize>(iy * W + ix) * Cs + c);
            const lo = i16x8.extend_low_i8x16_s(v), hi = i16x8.extend_high_i8x16_s(v);
            s0 = i32x4.add(s0, i32x4.extend_low_i16x8_s(lo));
            s1 = i32x4.add(s1, i32x4.extend_high_i16x8_s(lo));
            s2 = i32x4.add(s2, i32x4.extend_low_i16x8_s(hi));
            s3 = i32x4.add(s3, i32x4.extend_high_i16x8_s(hi));
          }
        }
        const q0 = requant4(s0, mul, zv, lof, hif), q1 = requant4(s1, mul, zv, lof, hif);
        const q2 = requant4(s2, mul, zv, lof, hif), q3 = requant4(s3, mul, zv, lof, hif);
        v128.store(d + c, i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(q0, q1), i16x8.narrow_i32x4_s(q2, q3)));
      }
      d += Cs;
    }
  }
}

/** GlobalAveragePool (MLAS QLinearGlobalAveragePool): mul = sx / (sy * H * W) precomputed by the caller. */
export function gap_q8(src: usize, HW: i32, Cs: i32, zin: i32, mul: f32, zout: i32, dst: usize): void {
  const zv = magicZp(zout), mv = f32x4.splat(mul);
  const lof = f32x4.splat(<f32>(<i32>-128 - zout)), hif = f32x4.splat(<f32>(<i32>127 - zout));
  const bias = i32x4.splat(-zin * HW);
  for (let c = 0; c < Cs; c += 16) {
    let s0 = bias, s1 = bias, s2 = bias, s3 = bias;
    for (let p = 0; p < HW; p++) {
      const v = v128.load(src + <usize>p * Cs + c);
      const lo = i16x8.extend_low_i8x16_s(v), hi = i16x8.extend_high_i8x16_s(v);
      s0 = i32x4.add(s0, i32x4.extend_low_i16x8_s(lo));
      s1 = i32x4.add(s1, i32x4.extend_high_i16x8_s(lo));
      s2 = i32x4.add(s2, i32x4.extend_low_i16x8_s(hi));
      s3 = i32x4.add(s3, i32x4.extend_high_i16x8_s(hi));
    }
    const q0 = requant4(s0, mv, zv, lof, hif), q1 = requant4(s1, mv, zv, lof, hif);
    const q2 = requant4(s2, mv, zv, lof, hif), q3 = requant4(s3, mv, zv, lof, hif);
    v128.store(dst + c, i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(q0, q1), i16x8.narrow_i32x4_s(q2, q3)));
  }
}
