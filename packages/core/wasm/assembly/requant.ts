// Shared requantization helpers. Semantics follow onnxruntime's QLinear kernels (MLAS): the int32 accumulator
// is converted to f32, multiplied by an f32 multiplier, clamped, rounded half-to-even (f32x4.nearest) and
// offset by the output zero point, saturating to the int8 range.

/**
 * Requantizes four int32 lanes: clamp(nearest(f32(acc) * scale), lo - zp, hi - zp) + zp.
 * Rounding uses the 1.5 * 2^23 trick instead of f32x4.nearest + i32x4.trunc_sat_f32x4_s (about 10 x64 instructions
 * in V8): the clamped value is within +-255, so adding 1.5 * 2^23 leaves an f32 whose ulp is 1, rounded half-to-even
 * by the add itself, and whose low mantissa bits are that integer plus 0x400000. `zp` is the caller's magicZp(zp).
 */
@inline
export function requant4(acc: v128, scale: v128, zp: v128, lof: v128, hif: v128): v128 {
  let f = f32x4.mul(f32x4.convert_i32x4_s(acc), scale);
  // pmax/pmin are single maxps/minps (f32x4.min/max need ~8 x64 instructions for NaN and -0 rules); the
  // operand order sends a NaN to lof.
  f = f32x4.pmin(hif, f32x4.pmax(lof, f));
  return i32x4.sub(f32x4.add(f, f32x4.splat(12582912.0)), zp);
}

/** The `zp` operand requant4 takes for output zero point z: (bits of 1.5 * 2^23) - z. */
@inline
export function magicZp(z: i32): v128 {
  return i32x4.splat(0x4b400000 - z);
}

/** Sums each of four i32x4 accumulators horizontally: result lane j = sum of lanes of aj. */
@inline
export function hsum4(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const t0 = i32x4.add(i32x4.shuffle(a0, a1, 0, 4, 1, 5), i32x4.shuffle(a0, a1, 2, 6, 3, 7));
  const t1 = i32x4.add(i32x4.shuffle(a2, a3, 0, 4, 1, 5), i32x4.shuffle(a2, a3, 2, 6, 3, 7));
  return i32x4.add(i32x4.shuffle(t0, t1, 0, 1, 4, 5), i32x4.shuffle(t0, t1, 2, 3, 6, 7));
}

/** Stores the low `n` (1..4) lanes of an i32x4 holding values already in int8 range as bytes. */
@inline
export function store4(dst: usize, q: v128, n: i32): void {
  if (n >= 4) {
    const h = i16x8.narrow_i32x4_s(q, q);
    v128.store32_lane(dst, i8x16.narrow_i16x8_s(h, h), 0);
    return;
  }
  store<i8>(dst, <i8>i32x4.extract_lane(q, 0));
  if (n > 1) store<i8>(dst, <i8>i32x4.extract_lane(q, 1), 1);
  if (n > 2) store<i8>(dst, <i8>i32x4.extract_lane(q, 2), 2);
}
