// Elementwise int8 kernels over equally laid-out buffers (n is a multiple of 16: channel strides are padded).

/**
 * int8 Add as onnxruntime computes it on wasm (see PlanAdd in src/engine/plan/types.ts):
 * v = clamp(f32(f32(sa (a - za)) + f32(sb (b - zb))) / sc, lo - zc, hi - zc); c = nearest(f32(v + zr)) + zc - zr.
 * Every step is one IEEE f32 operation, so the result is exact to the reference (no fused multiply-add).
 */
export function add_q8(
  a: usize, b: usize, out: usize, n: i32, sa: f32, sb: f32, sc: f32, za: i32, zb: i32, zc: i32, zr: i32, lo: i32, hi: i32,
): void {
  const sav = f32x4.splat(sa), sbv = f32x4.splat(sb), scv = f32x4.splat(sc), zrv = f32x4.splat(<f32>zr);
  const zav = i32x4.splat(za), zbv = i32x4.splat(zb), zov = i32x4.splat(0x4b400000 - (zc - zr)); // see requant4
  const lof = f32x4.splat(<f32>(lo - zc)), hif = f32x4.splat(<f32>(hi - zc));
  for (let i = 0; i < n; i += 16) {
    const va = v128.load(a + i), vb = v128.load(b + i);
    const al = i16x8.extend_low_i8x16_s(va), ah = i16x8.extend_high_i8x16_s(va);
    const bl = i16x8.extend_low_i8x16_s(vb), bh = i16x8.extend_high_i8x16_s(vb);
    const q0 = lane(i32x4.extend_low_i16x8_s(al), i32x4.extend_low_i16x8_s(bl), zav, zbv, sav, sbv, scv, zrv, zov, lof, hif);
    const q1 = lane(i32x4.extend_high_i16x8_s(al), i32x4.extend_high_i16x8_s(bl), zav, zbv, sav, sbv, scv, zrv, zov, lof, hif);
    const q2 = lane(i32x4.extend_low_i16x8_s(ah), i32x4.extend_low_i16x8_s(bh), zav, zbv, sav, sbv, scv, zrv, zov, lof, hif);
    const q3 = lane(i32x4.extend_high_i16x8_s(ah), i32x4.extend_high_i16x8_s(bh), zav, zbv, sav, sbv, scv, zrv, zov, lof, hif);
    v128.store(out + i, i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(q0, q1), i16x8.narrow_i32x4_s(q2, q3)));
  }
}

@inline
function lane(a: v128, b: v128, za: v128, zb: v128, sa: v128, sb: v128, sc: v128, zr: v128, zo: v128, lof: v128, hif: v128): v128 {
  const fa = f32x4.mul(f32x4.convert_i32x4_s(i32x4.sub(a, za)), sa);
  const fb = f32x4.mul(f32x4.convert_i32x4_s(i32x4.sub(b, zb)), sb);
  const v = f32x4.pmin(hif, f32x4.pmax(lof, f32x4.div(f32x4.add(fa, fb), sc))); // as requant4
  // v + zr is its own f32 rounding step (onnxruntime adds the zero point before rounding), then the magic add rounds.
  return i32x4.sub(f32x4.add(f32x4.add(v, zr), f32x4.splat(12582912.0)), zo);
}

/** Copies channel slices between NHWC buffers (Concat, layout moves): P pixels, C channels. */
export function copy_channels(src: usize, srcCs: i32, srcOff: i32, dst: usize, dstCs: i32, dstOff: i32, P: i32, C: i32): void {
  for (let p = 0; p < P; p++) {
    memory.copy(dst + <usize>p * dstCs + dstOff, src + <usize>p * srcCs + srcOff, C);
  }
}

/**
 * Byte table lookup out[i] = table[in[i] + 128] over n bytes (n a multiple of 16): requantization to new parameters
 * (PlanRequant). 16 swizzles per 16 bytes, one per 16-entry slice of the table: a swizzle index outside 0..15 yields
 * 0, so exactly one slice contributes each byte.
 */
export function requant_q8(src: usize, dst: usize, n: i32, table: usize): void {
  const flip = i8x16.splat(-128), step = i8x16.splat(16);
  for (let i = 0; i < n; i += 16) {
    let idx = v128.xor(v128.load(src + i), flip); // x + 128 as u8
    let r = i8x16.swizzle(v128.load(table), idx);
    for (let k = 1; k < 16; k++) {
      idx = i8x16.sub(idx, step);
      r = v128.or(r, i8x16.swizzle(v128.load(table + (<usize>k << 4)), idx));
    }
    v128.store(dst + i, r);
  }
}
