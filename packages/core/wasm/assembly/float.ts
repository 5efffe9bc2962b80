// f32 passes of dynamically quantized graphs (src/engine/ops/dynamic-quantize, conv-integer), bit-identical to the
// JS references they replace: IEEE f32 adds in the same order, NaN handled as the references handle it.

/**
 * out[0] = min(0, x...), out[1] = max(0, x...) over n f32 values; NaN values are skipped (pmin/pmax keep the
 * accumulator when the comparison is false), as onnxruntime's range for DynamicQuantizeLinear starts at 0.
 */
export function minmax_f32(src: usize, n: i32, out: usize): void {
  const z = f32x4.splat(0);
  let l0 = z, l1 = z, l2 = z, l3 = z, h0 = z, h1 = z, h2 = z, h3 = z;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = src + (<usize>i << 2);
    const a = v128.load(p), b = v128.load(p, 16), c = v128.load(p, 32), d = v128.load(p, 48);
    l0 = f32x4.pmin(l0, a); l1 = f32x4.pmin(l1, b); l2 = f32x4.pmin(l2, c); l3 = f32x4.pmin(l3, d);
    h0 = f32x4.pmax(h0, a); h1 = f32x4.pmax(h1, b); h2 = f32x4.pmax(h2, c); h3 = f32x4.pmax(h3, d);
  }
  let lo = f32x4.pmin(f32x4.pmin(l0, l1), f32x4.pmin(l2, l3)), hi = f32x4.pmax(f32x4.pmax(h0, h1), f32x4.pmax(h2, h3));
  for (; i + 4 <= n; i += 4) {
    const a = v128.load(src + (<usize>i << 2));
    lo = f32x4.pmin(lo, a);
    hi = f32x4.pmax(hi, a);
  }
  let mn = min(min(f32x4.extract_lane(lo, 0), f32x4.extract_lane(lo, 1)), min(f32x4.extract_lane(lo, 2), f32x4.extract_lane(lo, 3)));
  let mx = max(max(f32x4.extract_lane(hi, 0), f32x4.extract_lane(hi, 1)), max(f32x4.extract_lane(hi, 2), f32x4.extract_lane(hi, 3)));
  for (; i < n; i++) {
    const v = load<f32>(src + (<usize>i << 2));
    if (v < mn) mn = v;
    else if (v > mx) mx = v;
  }
  store<f32>(out, mn);
  store<f32>(out, mx, 4);
}

/**
 * Channel-last epilogue of ConvInteger: y[p][o] = x[p][o] + bias[o] (rounded to f32), then + res[p][o] when res != 0,
 * then ReLU (v > 0 ? v : 0, so NaN and -0 become +0) when relu != 0; n values, OC channels per pixel. y may be x.
 */
export function bias_act_f32(x: usize, y: usize, n: i32, OC: i32, bias: usize, res: usize, relu: i32): void {
  const zero = f32x4.splat(0);
  for (let p = 0; p < n; p += OC) {
    let o = 0;
    const xp = x + (<usize>p << 2), yp = y + (<usize>p << 2), rp = res + (<usize>p << 2);
    for (; o + 4 <= OC; o += 4) {
      const off = <usize>o << 2;
      let v = f32x4.add(v128.load(xp + off), v128.load(bias + off));
      if (res) v = f32x4.add(v, v128.load(rp + off));
      if (relu) v = v128.and(v, f32x4.gt(v, zero));
      v128.store(yp + off, v);
    }
    for (; o < OC; o++) {
      const off = <usize>o << 2;
      let v = load<f32>(xp + off) + load<f32>(bias + off);
      if (res) v += load<f32>(rp + off);
      if (relu) v = v > 0 ? v : 0;
      store<f32>(yp + off, v);
    }
  }
}

/**
 * ConvInteger's epilogue into an NCHW output: x is one image's [P][OC] channel-last GEMM output, y gets
 * [OC][P] = relu?(x + bias[o]) (f32 add, then v > 0 ? v : 0 when relu != 0). Tiles of 64 pixels keep the strided
 * reads in cache.
 */
export function bias_act_nchw_f32(x: usize, y: usize, P: i32, OC: i32, bias: usize, relu: i32): void {
  for (let p0 = 0; p0 < P; p0 += 64) {
    const pe = min(P, p0 + 64);
    for (let o = 0; o < OC; o++) {
      const b = load<f32>(bias + (<usize>o << 2));
      const row = y + (<usize>(o * P) << 2);
      for (let p = p0; p < pe; p++) {
        let v = load<f32>(x + (<usize>(p * OC + o) << 2)) + b;
        if (relu) v = v > 0 ? v : 0;
        store<f32>(row + (<usize>p << 2), v);
      }
    }
  }
}
