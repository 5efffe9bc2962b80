/**
 * Quantization arithmetic, matching onnxruntime's QuantizeLinear: q = saturate(roundHalfEven(x / scale) + zp).
 *
 * Scheme (same as onnxruntime's default QDQ static quantization):
 * - activations: uint8, asymmetric, per tensor; the range always contains 0 so that 0 is exact (padding, ReLU);
 * - weights: int8, symmetric (zero point 0, range [-127, 127]), per output channel;
 * - bias: int32, zero point 0, scale = input_scale * weight_scale[c].
 */
import { roundHalfEven } from '../engine/ops/shared/requant.js';

/** Scale and zero point of one quantized tensor (or one channel). */
export interface QuantParams {
  scale: number;
  zeroPoint: number;
}

const INT32_MAX = 2147483647;

export { roundHalfEven };

/**
 * Asymmetric uint8 parameters for a real range; the range is widened to include 0.
 *
 * @example
 * ```ts
 * uint8Params({ min: 0, max: 6 }); // { scale: 6 / 255, zeroPoint: 0 }
 * ```
 */
export function uint8Params(range: { min: number; max: number }): QuantParams {
  const lo = Math.min(range.min, 0);
  const hi = Math.max(range.max, 0);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError(`non-finite range [${lo}, ${hi}]`);
  if (hi - lo < 1e-30) return { scale: 1, zeroPoint: 0 };
  // Rounded to float32: that is what is stored in the model and what ORT will use.
  const scale = Math.fround((hi - lo) / 255);
  const zeroPoint = Math.min(255, Math.max(0, roundHalfEven(-lo / scale)));
  return { scale, zeroPoint };
}

/**
 * Symmetric int8 scale for values in [-absMax, absMax] (zero point 0, codes -127..127).
 *
 * @example
 * ```ts
 * int8SymmetricScale(1.27); // 0.01
 * ```
 */
export function int8SymmetricScale(absMax: number): number {
  return absMax > 0 ? absMax / 127 : 1;
}

/**
 * Quantizes one value like ONNX QuantizeLinear.
 *
 * @example
 * ```ts
 * quantizeValue(0.5, { scale: 0.1, zeroPoint: 128 }, 0, 255); // 133
 * ```
 */
export function quantizeValue(x: number, p: QuantParams, qmin: number, qmax: number): number {
  // The division is rounded to float32 as onnxruntime computes it, so ties break identically.
  const q = roundHalfEven(Math.fround(x / p.scale)) + p.zeroPoint;
  return q < qmin ? qmin : q > qmax ? qmax : q;
}

/** Per-output-channel int8 weights. */
export interface QuantizedWeights {
  data: Int8Array;
  scales: Float32Array;
}

/**
 * Quantizes a weight tensor symmetrically per channel along `axis`.
 *
 * @example
 * ```ts
 * // Conv weight [Cout, Cin, kH, kW], one scale per output channel:
 * const { data, scales } = quantizeWeightsPerChannel(w, [64, 3, 7, 7], 0);
 * ```
 */
export function quantizeWeightsPerChannel(
  w: Float32Array,
  dims: readonly number[],
  axis: number,
  minScales?: Float32Array,
): QuantizedWeights {
  const channels = dims[axis];
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const absMax = new Float64Array(channels);
  for (let o = 0; o < outer; o++)
    for (let c = 0; c < channels; c++) {
      const base = (o * channels + c) * inner;
      let m = absMax[c];
      for (let i = 0; i < inner; i++) m = Math.max(m, Math.abs(w[base + i]));
      absMax[c] = m;
    }
  const scales = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    // Rounded to float32 first: ORT dequantizes with the stored float32 scale, so quantize with the same one.
    scales[c] = Math.max(int8SymmetricScale(absMax[c]), minScales?.[c] ?? 0);
  }
  const data = new Int8Array(w.length);
  for (let o = 0; o < outer; o++)
    for (let c = 0; c < channels; c++) {
      const base = (o * channels + c) * inner;
      const p = { scale: scales[c], zeroPoint: 0 };
      for (let i = 0; i < inner; i++) data[base + i] = quantizeValue(w[base + i], p, -127, 127);
    }
  return { data, scales };
}

/**
 * Smallest weight scale per channel that keeps the int32 bias in range, so the bias never saturates.
 *
 * @example
 * ```ts
 * const min = minWeightScalesForBias(bias, inputScale); // pass to quantizeWeightsPerChannel
 * ```
 */
export function minWeightScalesForBias(bias: Float32Array, inputScale: number): Float32Array {
  const out = new Float32Array(bias.length);
  // Headroom factor 2: accumulators add the bias to the int32 sum of products as well.
  for (let c = 0; c < bias.length; c++) out[c] = (Math.abs(bias[c]) * 2) / (inputScale * INT32_MAX);
  return out;
}

/**
 * Quantizes a bias to int32 with scale `inputScale * weightScales[c]` and zero point 0.
 *
 * @example
 * ```ts
 * const { data, scales } = quantizeBias(bias, 0.02, wScales);
 * ```
 */
export function quantizeBias(
  bias: Float32Array,
  inputScale: number,
  weightScales: Float32Array,
): { data: Int32Array; scales: Float32Array } {
  const scales = new Float32Array(bias.length);
  const data = new Int32Array(bias.length);
  for (let c = 0; c < bias.length; c++) {
    const ws = weightScales.length === 1 ? weightScales[0] : weightScales[c];
    scales[c] = inputScale * ws;
    data[c] = quantizeValue(bias[c], { scale: scales[c], zeroPoint: 0 }, -INT32_MAX - 1, INT32_MAX);
  }
  return { data, scales };
}

/** Dequantizes like ONNX DequantizeLinear. @example `dequantizeValue(133, { scale: 0.1, zeroPoint: 128 })` */
export function dequantizeValue(q: number, p: QuantParams): number {
  return (q - p.zeroPoint) * p.scale;
}
