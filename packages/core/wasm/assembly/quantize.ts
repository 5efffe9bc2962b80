// QuantizeLinear of an f32 NCHW tensor into the engine's NHWC int8 layout (channel stride Cs):
// q = sat(nearest(x / scale) + zp), division and rounding in f32 as onnxruntime (MLAS) does.
export function quantize_f32(src: usize, N: i32, C: i32, HW: i32, Cs: i32, scale: f32, zp: i32, dst: usize): void {
  const sv = f32x4.splat(scale), zv = i32x4.splat(zp);
  const lo = i32x4.splat(-128), hi = i32x4.splat(127);
  if (Cs == 1 && C == 1) {
    // One contiguous run (a channel-last tensor without channel padding): 16 values per store.
    const n = N * HW;
    let i = 0;
    for (; i + 16 <= n; i += 16) {
      const s = src + (<usize>i << 2);
      const q0 = i32x4.add(i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.div(v128.load(s), sv))), zv);
      const q1 = i32x4.add(i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.div(v128.load(s, 16), sv))), zv);
      const q2 = i32x4.add(i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.div(v128.load(s, 32), sv))), zv);
      const q3 = i32x4.add(i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.div(v128.load(s, 48), sv))), zv);
      // Saturating narrows clamp to [-128, 127] exactly as min/max would.
      v128.store(dst + <usize>i, i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(q0, q1), i16x8.narrow_i32x4_s(q2, q3)));
    }
    for (; i < n; i++) {
      let v = nearest<f32>(load<f32>(src + (<usize>i << 2)) / scale);
      v = v != v ? 0 : min(max(v, <f32>-1000), <f32>1000);
      store<i8>(dst + <usize>i, <i8>min(max(<i32>v + zp, -128), 127));
    }
    return;
  }
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const s = src + (<usize>(n * C + c) * HW << 2);
      const d = dst + <usize>n * HW * Cs + c;
      let p = 0;
      for (; p + 4 <= HW; p += 4) {
        const f = f32x4.div(v128.load(s + (<usize>p << 2)), sv);
        const q = i32x4.min_s(i32x4.max_s(i32x4.add(i32x4.trunc_sat_f32x4_s(f32x4.nearest(f)), zv), lo), hi);
        const o = d + <usize>p * Cs;
        store<i8>(o, <i8>i32x4.extract_lane(q, 0));
        store<i8>(o + Cs, <i8>i32x4.extract_lane(q, 1));
        store<i8>(o + 2 * Cs, <i8>i32x4.extract_lane(q, 2));
        store<i8>(o + 3 * Cs, <i8>i32x4.extract_lane(q, 3));
      }
      for (; p < HW; p++) {
        let v = nearest<f32>(load<f32>(s + (<usize>p << 2)) / scale);
        v = v != v ? 0 : min(max(v, <f32>-1000), <f32>1000); // NaN -> 0, keep the i32 conversion in range
        store<i8>(d + <usize>p * Cs, <i8>min(max(<i32>v + zp, -128), 127));
      }
    }
  }
}
