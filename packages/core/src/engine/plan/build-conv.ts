/** Builders for the fused int8 plan ops (shared by the QDQ and QOperator front ends of the compiler). */
import { DataType } from '../../onnx/index.js';
import { roundHalfEven } from '../ops/shared/requant.js';
import { constInts, perChannel, type Const, type ConstQuant } from './consts.js';
import { geometry, type Attrs } from '../../onnx/shapes.js';
import type { PlanConv } from './types.js';

/** Quantization of an activation in the plan's int8 domain. */
export interface ActQuant {
  scale: number;
  zeroPoint: number;
}

export interface ConvSpec {
  name: string;
  /** Input shape NCHW (or [N, K] for Gemm/MatMul). */
  inShape: number[];
  x: ActQuant;
  /** Output quantization; undefined = float output (rank-2 only). */
  y?: ActQuant;
  /** Quantized weights; `layout` says how to read them. */
  w: ConstQuant;
  wDims: number[];
  /** 'oihw' (Conv), 'ok' (Gemm transB=1), 'ko' (MatMul / Gemm transB=0). */
  layout: 'oihw' | 'ok' | 'ko';
  /** Bias: int32 (already quantized with x_scale * w_scale) or float, or none. */
  bias?: Const;
  relu: boolean;
  attrs: Attrs;
}

/** Result: the op (without tensor ids) and the output shape; undefined when shapes or quantization axes mismatch. */
export function buildConv(s: ConvSpec): { op: Omit<PlanConv, 'input' | 'output'>; outShape: number[] } | undefined {
  let OC: number, Cg: number, KH = 1, KW = 1;
  if (s.layout === 'oihw') [OC, Cg, KH, KW] = s.wDims;
  else if (s.layout === 'ok') [OC, Cg] = s.wDims;
  else [Cg, OC] = s.wDims;
  const group = s.layout === 'oihw' ? ((s.attrs.group as number | undefined) ?? 1) : 1;
  const C = s.inShape[1];
  if (C !== Cg * group || OC % group !== 0) return undefined;
  const chan = perChannel(s.w, s.layout === 'ko' ? 1 : 0, OC);
  if (!chan) return undefined;
  const K = KH * KW * Cg;
  // Reorder to [OC][KH][KW][Cg] (the im2row order). int8 when every value fits (the usual case), else int16.
  const vals = s.w.values;
  // Stride between consecutive input channels in the source layout.
  const cStride = s.layout === 'oihw' ? KH * KW : s.layout === 'ok' ? 1 : OC;
  let weights = new Int8Array(OC * K);
  let wide: Int16Array | undefined;
  if (s.layout !== 'ko' && s.w.dataType === DataType.INT8 && chan.zeroPoint.every((z) => z === 0)) {
    // Common case (symmetric int8 weights): values fit int8 as they are, so only the reorder is left; 1x1 kernels
    // need none and neither does Gemm's [OC][K] (a native copy). This is on the load path of every model.
    if (KH * KW === 1) weights.set(vals);
    else if (KH * KW === 9) for (let o = 0; o < OC; o++) reorder3x3(vals, weights, o * K, Cg);
    else {
      const T = KH * KW;
      for (let o = 0; o < OC; o++) {
        const row = o * K;
        for (let c = 0; c < Cg; c++) {
          const src = row + c * T;
          for (let t = 0; t < T; t++) weights[row + t * Cg + c] = vals[src + t];
        }
      }
    }
  } else for (let o = 0; o < OC; o++) {
    const zp = chan.zeroPoint[o], row = o * K;
    for (let t = 0; t < KH * KW; t++) {
      const d = row + t * Cg;
      const base = s.layout === 'oihw' ? o * K + t : s.layout === 'ok' ? o * Cg : o;
      for (let c = 0; c < Cg; c++) {
        const v = vals[base + c * cStride] - zp;
        if ((v < -128 || v > 127) && !wide) {
          wide = new Int16Array(OC * K);
          wide.set(weights.subarray(0, d + c));
        }
        if (wide) wide[d + c] = v;
        weights[d + c] = v;
      }
    }
  }
  if (wide) weights = new Int8Array(0);
  const bias = new Int32Array(OC);
  const multiplier = new Float32Array(OC);
  for (let o = 0; o < OC; o++) {
    const sxw = Math.fround(s.x.scale * chan.scale[o]);
    multiplier[o] = s.y ? Math.fround(sxw / s.y.scale) : sxw;
    if (s.bias) {
      const b = s.bias;
      bias[o] = b.q && b.q.dataType === DataType.INT32 ? b.q.values[o] - b.q.zeroPoint[0] : b.dataType === DataType.INT32 ? constInts(b)[o] : roundHalfEven(b.f32[o] / sxw);
    }
  }
  let outShape: number[];
  let geo = { kernel: [1, 1] as [number, number], strides: [1, 1] as [number, number], pads: [0, 0, 0, 0] as [number, number, number, number], dilations: [1, 1] as [number, number] };
  if (s.layout === 'oihw') {
    const g = geometry(s.attrs, s.inShape.slice(2), [KH, KW], s.name);
    geo = g;
    outShape = [s.inShape[0], OC, g.out[0], g.out[1]];
  } else outShape = [s.inShape[0], OC];
  const yzp = s.y?.zeroPoint ?? 0;
  const lo = s.relu ? Math.max(-128, yzp) : -128;
  return {
    op: { op: 'conv', name: s.name, C, OC, group, ...geo, weights, ...(wide ? { weights16: wide } : {}), bias, multiplier, inZeroPoint: s.x.zeroPoint, outZeroPoint: yzp, lo, hi: 127, ...(s.y ? {} : { outputF32: true }) },
    outShape,
  };
}

/** One output channel's 3x3 weights [Cg][9] -> [9][Cg], unrolled: 2-3x faster than the generic loop in cold code. */
function reorder3x3(src: ArrayLike<number>, dst: Int8Array, row: number, Cg: number): void {
  for (let c = 0; c < Cg; c++) {
    const s = row + c * 9, d = row + c;
    dst[d] = src[s];
    dst[d + Cg] = src[s + 1];
    dst[d + 2 * Cg] = src[s + 2];
    dst[d + 3 * Cg] = src[s + 3];
    dst[d + 4 * Cg] = src[s + 4];
    dst[d + 5 * Cg] = src[s + 5];
    dst[d + 6 * Cg] = src[s + 6];
    dst[d + 7 * Cg] = src[s + 7];
    dst[d + 8 * Cg] = src[s + 8];
  }
}
