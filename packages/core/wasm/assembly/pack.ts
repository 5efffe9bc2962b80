// Weight packing for gemm_q8 at model load (the TS reference is src/engine/ops/conv/pack.ts). In wasm because the
// load path packs every weight of the model once: ~1 ns per weight here against 5-8 in cold JS, which is most of
// a ResNet-18's cold start.

/**
 * Packs one group's int8 weights `src` [OCg][K] into `dst`:
 * - mode 0: blocks [k/8][4 oc][8] of int16 (pre-widened), 4 * Kp int16 per block row;
 * - modes 1, 2: blocks [k/16][p: 4 oc x 16][n: 4 oc x 16] of int8 with w = p - n (7-bit halves);
 * - mode 3: blocks [k/16][4 oc][16] of int8 (the weights as they are).
 * Padding (k >= K, oc >= OCg) is zeroed. Writes per-channel sum(w) to `sums` and sum(n) to `sumsN` (i32 each),
 * which the host folds into the bias.
 */
export function pack_weights(src: usize, OCg: i32, K: i32, mode: i32, dst: usize, sums: usize, sumsN: usize): void {
  const Kp = (K + 15) & ~15;
  const blocks = (OCg + 3) >> 2;
  // per 16 k x 4 oc: 64 int16 (mode 0), 2 x 64 int8 (p, n; modes 1, 2) or 64 int8 (mode 3)
  const blockBytes = (Kp >> 4) * (mode == 3 ? 64 : 128);
  memory.fill(dst, 0, <usize>(blocks * blockBytes));
  for (let o = 0; o < OCg; o++) {
    const row = src + <usize>(o * K);
    const blk = dst + <usize>((o >> 2) * blockBytes);
    const j = o & 3;
    let sum = 0, sumN = 0;
    let k = 0;
    // SIMD body: whole runs of 16 (relaxed) or 8 (SIMD128) k; sums by pairwise widening adds.
    let vsum = i32x4.splat(0), vsumN = i32x4.splat(0);
    if (mode == 3) {
      for (; k + 16 <= K; k += 16) {
        const w = v128.load(row + k);
        v128.store(blk + <usize>((k >> 4) * 64 + j * 16), w);
        vsum = i32x4.add(vsum, i32x4.extadd_pairwise_i16x8_s(i16x8.extadd_pairwise_i8x16_s(w)));
      }
    } else if (mode) {
      const zero = i8x16.splat(0);
      for (; k + 16 <= K; k += 16) {
        const w = v128.load(row + k);
        const p = i8x16.max_s(w, zero), n = i8x16.max_s(i8x16.neg(w), zero);
        const at = blk + <usize>((k >> 4) * 128 + j * 16);
        v128.store(at, p);
        v128.store(at + 64, n);
        vsum = i32x4.add(vsum, i32x4.extadd_pairwise_i16x8_s(i16x8.extadd_pairwise_i8x16_s(w)));
        vsumN = i32x4.add(vsumN, i32x4.extadd_pairwise_i16x8_s(i16x8.extadd_pairwise_i8x16_s(n)));
      }
    } else {
      for (; k + 8 <= K; k += 8) {
        const w = i16x8.extend_low_i8x16_s(v128.load64_zero(row + k));
        v128.store(blk + <usize>(((k >> 3) * 32 + j * 8) << 1), w);
        vsum = i32x4.add(vsum, i32x4.extadd_pairwise_i16x8_s(w));
      }
    }
    sum = i32x4.extract_lane(vsum, 0) + i32x4.extract_lane(vsum, 1) + i32x4.extract_lane(vsum, 2) + i32x4.extract_lane(vsum, 3);
    sumN = i32x4.extract_lane(vsumN, 0) + i32x4.extract_lane(vsumN, 1) + i32x4.extract_lane(vsumN, 2) + i32x4.extract_lane(vsumN, 3);
    if (mode == 3) {
      for (; k < K; k++) {
        const w = <i32>load<i8>(row + k);
        sum += w;
        store<i8>(blk + <usize>((k >> 4) * 64 + j * 16 + (k & 15)), <i8>w);
      }
    } else if (mode) {
      for (; k < K; k++) {
        const w = <i32>load<i8>(row + k);
        const at = blk + <usize>((k >> 4) * 128 + j * 16 + (k & 15));
        sum += w;
        if (w > 0) store<i8>(at, <i8>w);
        else if (w < 0) {
          store<i8>(at + 64, <i8>-w);
          sumN -= w;
        }
      }
    } else {
      for (; k < K; k++) {
        const w = <i32>load<i8>(row + k);
        sum += w;
        store<i16>(blk + <usize>(((k >> 3) * 32 + j * 8 + (k & 7)) << 1), <i16>w);
      }
    }
    store<i32>(sums + <usize>(o << 2), sum);
    store<i32>(sumsN + <usize>(o << 2), sumN);
  }
}
