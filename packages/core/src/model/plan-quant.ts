/** Builders for the fused int8 plan ops (shared by the QDQ and QOperator front ends of the compiler). */
import { DataType } from './onnx.js';
import { constInts, perChannel, roundHalfEven, type Const, type ConstQuant } from './plan-consts.js';
import { geometry, type Attrs } from './plan-shapes.js';
import type { PlanConv } from './plan-types.js';

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
  const wide = new Int16Array(OC * K);
  let fits = true;
  for (let o = 0; o < OC; o++) {
    const zp = chan.zeroPoint[o];
    for (let ky = 0; ky < KH; ky++) {
      for (let kx = 0; kx < KW; kx++) {
        for (let c = 0; c < Cg; c++) {
          let src: number;
          if (s.layout === 'oihw') src = ((o * Cg + c) * KH + ky) * KW + kx;
          else if (s.layout === 'ok') src = o * Cg + c;
          else src = c * OC + o;
          const v = s.w.values[src] - zp;
          if (v < -128 || v > 127) fits = false;
          wide[o * K + (ky * KW + kx) * Cg + c] = v;
        }
      }
    }
  }
  const weights = fits ? Int8Array.from(wide) : new Int8Array(0);
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
    op: { op: 'conv', name: s.name, C, OC, group, ...geo, weights, ...(fits ? {} : { weights16: wide }), bias, multiplier, inZeroPoint: s.x.zeroPoint, outZeroPoint: yzp, lo, hi: 127, ...(s.y ? {} : { outputF32: true }) },
    outShape,
  };
}
