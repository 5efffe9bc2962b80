// Elementwise int8 kernels over equally laid-out buffers (n is a multiple of 16: channel strides are padded).

/**
 * QLinearAdd: c = sat(nearest(ra * (a - za) + rb * (b - zb)) + zc), ra = sa / sc, rb = sb / sc (f32, as MLAS),
 * clamped to [lo, hi] (lo = zc when a ReLU is fused).
 */
export function add_q8(
  a: usize, b: usize, out: usize, n: i32, ra: f32, rb: f32, za: i32, zb: i32, zc: i32, lo: i32, hi: i32,
): void {
  const rav = f32x4.splat(ra), rbv = f32x4.splat(rb);
  const zav = i32x4.splat(za), zbv = i32x4.splat(zb), zcv = i32x4.splat(0x4b400000 - zc); // see requant4
  const lof = f32x4.splat(<f32>(lo - zc)), hif = f32x4.splat(<f32>(hi - zc));
  for (let i = 0; i < n; i += 16) {
    const va = v128.load(a + i), vb = v128.load(b + i);
    const al = i16x8.extend_low_i8x16_s(va), ah = i16x8.extend_high_i8x16_s(va);
    const bl = i16x8.extend_low_i8x16_s(vb), bh = i16x8.extend_high_i8x16_s(vb);
    const q0 = lane(i32x4.extend_low_i16x8_s(al), i32x4.extend_low_i16x8_s(bl), zav, zbv, rav, rbv, zcv, lof, hif);
    const q1 = lane(i32x4.extend_high_i16x8_s(al), i32x4.extend_high_i16x8_s(bl), zav, zbv, rav, rbv, zcv, lof, hif);
    const q2 = lane(i32x4.extend_low_i16x8_s(ah), i32x4.extend_low_i16x8_s(bh), zav, zbv, rav, rbv, zcv, lof, hif);
    const q3 = lane(i32x4.extend_high_i16x8_s(ah), i32x4.extend_high_i16x8_s(bh), zav, zbv, rav, rbv, zcv, lof, hif);
    v128.store(out + i, i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(q0, q1), i16x8.narrow_i32x4_s(q2, q3)));
  }
}

@inline
function lane(a: v128, b: v128, za: v128, zb: v128, ra: v128, rb: v128, zc: v128, lof: v128, hif: v128): v128 {
  const fa = f32x4.mul(f32x4.convert_i32x4_s(i32x4.sub(a, za)), ra);
  const fb = f32x4.mul(f32x4.convert_i32x4_s(i32x4.sub(b, zb)), rb);
  const f = f32x4.pmin(hif, f32x4.pmax(lof, f32x4.add(fa, fb))); // as requant4
  return i32x4.sub(f32x4.add(f, f32x4.splat(12582912.0)), zc);
}

/** Copies channel slices between NHWC buffers (Concat, layout moves): P pixels, C channels. */
export function copy_channels(src: usize, srcCs: i32, srcOff: i32, dst: usize, dstCs: i32, dstOff: i32, P: i32, C: i32): void {
  for (let p = 0; p < P; p++) {
    memory.copy(dst + <usize>p * dstCs + dstOff, src + <usize>p * srcCs + srcOff, C);
  }
}
