/**
 * fp32 convolution in onnxruntime's (MLAS, wasm build, one thread) order of operations, so float convs can be
 * bit-identical to onnxruntime-web: every product and sum is one f32 operation; the K dimension
 * (channels x kernel taps, im2col order) is summed in blocks whose length MLAS's SGEMM picks from N (output pixels)
 * and K, each block from zero and sequentially, blocks added to the output in order, then the bias.
 * (MlasConv's GemmDirect, ExpandThenGemm and single-threaded ExpandThenGemmSegmented paths all reduce to this.)
 */

/**
 * The K block length of MLAS's SGEMM (MlasSgemmOperation / MlasConvOperation) for an N x K operation:
 * 128 x 128 panels, N stride doubled while K is small, K stride doubled while N is small.
 *
 * @example
 * ```ts
 * mlasStrideK(3136, 576); // 128
 * mlasStrideK(9, 2304); // 1024
 * ```
 */
export function mlasStrideK(N: number, K: number): number {
  let sn = 128, sk = 128;
  if (N >= K) {
    while (sk / 2 >= K) {
      sn *= 2;
      sk /= 2;
    }
  } else {
    while (sn > 16 && sn / 2 >= N) {
      sk *= 2;
      sn /= 2;
    }
  }
  return sk;
}

/** Geometry of a 2-D convolution over one NCHW image. */
export interface ConvGeometry {
  C: number;
  H: number;
  W: number;
  OC: number;
  OH: number;
  OW: number;
  group: number;
  kernel: readonly [number, number] | readonly number[];
  strides: readonly number[];
  /** [top, left, bottom, right]. */
  pads: readonly number[];
  dilations: readonly number[];
}

/**
 * One image's convolution: x [C][H][W] at `xOff`, weights OIHW, optional bias; writes y [OC][OH][OW] at `yOff`.
 *
 * @example
 * ```ts
 * mlasConv2d(geo, x, 0, w, bias, y, 0);
 * ```
 */
export function mlasConv2d(
  g: ConvGeometry, x: ArrayLike<number>, xOff: number, w: ArrayLike<number>, bias: ArrayLike<number> | undefined, y: Float32Array, yOff: number,
): void {
  const f = Math.fround;
  const Cg = g.C / g.group, OCg = g.OC / g.group;
  const [KH, KW] = g.kernel, T = KH * KW, K = Cg * T, N = g.OH * g.OW;
  const sk = mlasStrideK(N, K);
  // Patches per output pixel, contiguous in K (im2col transposed), zero outside the image as MLAS's im2col.
  const col = new Float32Array(N * K);
  for (let gi = 0; gi < g.group; gi++) {
    for (let oy = 0, n = 0; oy < g.OH; oy++) for (let ox = 0; ox < g.OW; ox++, n++) {
      const row = n * K;
      for (let c = 0; c < Cg; c++) {
        const plane = xOff + (gi * Cg + c) * g.H * g.W;
        for (let ky = 0; ky < KH; ky++) {
          const iy = oy * g.strides[0] - g.pads[0] + ky * g.dilations[0];
          for (let kx = 0; kx < KW; kx++) {
            const ix = ox * g.strides[1] - g.pads[1] + kx * g.dilations[1];
            col[row + c * T + ky * KW + kx] = iy >= 0 && iy < g.H && ix >= 0 && ix < g.W ? x[plane + iy * g.W + ix] : 0;
          }
        }
      }
    }
    for (let o = 0; o < OCg; o++) {
      const oc = gi * OCg + o, wr = oc * K, b = bias ? bias[oc] : 0, out = yOff + oc * N;
      for (let n = 0; n < N; n++) {
        const xr = n * K;
        let acc = 0;
        for (let k0 = 0; k0 < K; k0 += sk) {
          const k1 = Math.min(K, k0 + sk);
          let s = 0;
          for (let k = k0; k < k1; k++) s = f(s + f(col[xr + k] * w[wr + k]));
          acc = k0 === 0 ? s : f(acc + s);
        }
        y[out + n] = bias ? acc + b : acc;
      }
    }
  }
}
