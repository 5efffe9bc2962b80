// im2row over an NHWC int8 tensor (channel stride Cs): row p of the output holds, for output pixel p, the
// KH x KW x Cg patch of channels [cOff, cOff + Cg), padded with the input zero point outside the image and with
// zeros up to Kp (a multiple of 16, matching the zero-padded packed weights).

@inline
function copyBytes(d: usize, s: usize, n: i32): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) v128.store(d + i, v128.load(s + i));
  for (; i < n; i++) store<u8>(d + i, load<u8>(s + i));
}

@inline
function fillBytes(d: usize, v: u8, n: i32): void {
  const vv = i8x16.splat(<i8>v);
  let i = 0;
  for (; i + 16 <= n; i += 16) v128.store(d + i, vv);
  for (; i < n; i++) store<u8>(d + i, v);
}

export function im2row(
  src: usize, H: i32, W: i32, Cs: i32, cOff: i32, Cg: i32, KH: i32, KW: i32, sh: i32, sw: i32,
  ph: i32, pw: i32, dh: i32, dw: i32, OH: i32, OW: i32, zp: i32, dst: usize, Kp: i32,
): void {
  const tail = Kp - KH * KW * Cg;
  const z = <u8>zp;
  let d = dst;
  if (Cg < 16) {
    // Narrow patches (the stem's 3 channels): one 16-byte load/store per kernel tap, each store's spill-over
    // overwritten by the next. Rows are written strictly in order, so only bytes past the end of the whole matrix
    // keep junk (the host's scratch has 32 bytes of slack), and reads run at most 15 bytes past a pixel, inside the
    // tensor's 16 bytes of slack.
    const zv = i8x16.splat(<i8>zp);
    const zero = i8x16.splat(0);
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        for (let ky = 0; ky < KH; ky++) {
          const iy = oy * sh - ph + ky * dh;
          const rowOk = iy >= 0 && iy < H;
          const srow = src + <usize>(iy * W) * Cs + cOff;
          for (let kx = 0; kx < KW; kx++) {
            const ix = ox * sw - pw + kx * dw;
            v128.store(d, rowOk && ix >= 0 && ix < W ? v128.load(srow + <usize>ix * Cs) : zv);
            d += Cg;
          }
        }
        if (tail > 0) {
          v128.store(d, zero);
          if (tail > 16) fillBytes(d + 16, 0, tail - 16);
          d += tail;
        }
      }
    }
    return;
  }
  for (let oy = 0; oy < OH; oy++) {
    for (let ox = 0; ox < OW; ox++) {
      for (let ky = 0; ky < KH; ky++) {
        const iy = oy * sh - ph + ky * dh;
        const rowOk = iy >= 0 && iy < H;
        for (let kx = 0; kx < KW; kx++) {
          const ix = ox * sw - pw + kx * dw;
          if (rowOk && ix >= 0 && ix < W) copyBytes(d, src + (<usize>(iy * W + ix) * Cs + cOff), Cg);
          else fillBytes(d, z, Cg);
          d += Cg;
        }
      }
      fillBytes(d, 0, tail);
      d += tail;
    }
  }
}

/**
 * im2row writing int16 rows (for gemm mode 4): same patch order, padding and zero tail, each value sign-extended,
 * so the GEMM loads rows without widening. Kp and strides are in elements; dst needs 2 * P * Kp bytes + 32.
 */
export function im2row16(
  src: usize, H: i32, W: i32, Cs: i32, cOff: i32, Cg: i32, KH: i32, KW: i32, sh: i32, sw: i32,
  ph: i32, pw: i32, dh: i32, dw: i32, OH: i32, OW: i32, zp: i32, dst: usize, Kp: i32,
): void {
  const tail = Kp - KH * KW * Cg;
  const zv = i16x8.splat(<i16>zp);
  const narrow = Cg <= 8;
  let d = dst;
  for (let oy = 0; oy < OH; oy++) {
    for (let ox = 0; ox < OW; ox++) {
      for (let ky = 0; ky < KH; ky++) {
        const iy = oy * sh - ph + ky * dh;
        const rowOk = iy >= 0 && iy < H;
        const srow = src + <usize>(iy * W) * Cs + cOff;
        for (let kx = 0; kx < KW; kx++) {
          const ix = ox * sw - pw + kx * dw;
          const ok = rowOk && ix >= 0 && ix < W;
          if (narrow) {
            // One 8-value store per tap, its spill-over overwritten by the next (as in im2row).
            v128.store(d, ok ? v128.load8x8_s(srow + <usize>ix * Cs) : zv);
          } else if (ok) {
            const s = srow + <usize>ix * Cs;
            let i = 0;
            for (; i + 8 <= Cg; i += 8) v128.store(d + (<usize>i << 1), v128.load8x8_s(s + i));
            for (; i < Cg; i++) store<i16>(d + (<usize>i << 1), <i16>load<i8>(s + i));
          } else {
            let i = 0;
            for (; i + 8 <= Cg; i += 8) v128.store(d + (<usize>i << 1), zv);
            for (; i < Cg; i++) store<i16>(d + (<usize>i << 1), <i16>zp);
          }
          d += <usize>Cg << 1;
        }
      }
      for (let i = 0; i < tail; i += 8) v128.store(d + (<usize>i << 1), i16x8.splat(0));
      d += <usize>tail << 1;
    }
  }
}
