/**
 * DynamicQuantizeLinear (uint8) as onnxruntime computes it: quantization parameters from the tensor's own range,
 * then QuantizeLinear (wasm: ./wasm.ts runs the same parameters through quantize_f32).
 */
import type { PlanDynamicQuantize } from '../../plan/types.js';
import type { HostKernel } from '../shared/host-kernel.js';
import { roundHalfEven } from '../shared/requant.js';

/**
 * onnxruntime's GetQuantizationParameter for uint8: min/max extended to include 0, scale = (max - min) / 255
 * (1 when the range is empty), zero point = nearest-even(clamp(0 - min / scale, 0, 255)); every step in f32.
 *
 * @example
 * ```ts
 * dynamicQuantParams(new Float32Array([-1, 0.5, 3])); // { scale: 4 / 255, zeroPoint: 64 }
 * ```
 */
export function dynamicQuantParams(x: ArrayLike<number>): { scale: number; zeroPoint: number } {
  let min = 0, max = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  return quantParamsOfRange(min, max);
}

/**
 * The parameters of a range already extended to include 0 (wasm computes it with minmax_f32).
 *
 * @example
 * ```ts
 * quantParamsOfRange(-1, 3); // { scale: 4 / 255, zeroPoint: 64 }
 * ```
 */
export function quantParamsOfRange(min: number, max: number): { scale: number; zeroPoint: number } {
  const f = Math.fround;
  const scale = max === min ? 1 : f(f(max - min) / 255);
  const initial = f(0 - f(min / scale));
  return { scale, zeroPoint: roundHalfEven(Math.max(0, Math.min(255, initial))) };
}

/** The host kernel: parameters, then the uint8 values in the plan's int8 domain (shifted by -128). */
export const dynamicQuantizeHost: HostKernel<PlanDynamicQuantize> = (op, values, tensors) => {
  const x = values.get(op.input) as Float32Array;
  const { scale, zeroPoint } = dynamicQuantParams(x);
  const s = Math.fround(scale);
  const q = Int8Array.from(x, (v) => Math.min(255, Math.max(0, roundHalfEven(Math.fround(v / s)) + zeroPoint)) - 128);
  // Host int8 values are NCHW; a channel-last f32 input (plan/dynamic-quant.ts) is transposed back.
  if ((tensors[op.input] as { layout?: string }).layout === 'nhwc') {
    const [N, C, H, W] = tensors[op.input].shape, P = H * W, t = new Int8Array(q.length);
    for (let n = 0, i = 0; n < N; n++) for (let p = 0; p < P; p++) for (let c = 0; c < C; c++, i++) t[(n * C + c) * P + p] = q[i];
    values.set(op.output, t);
  } else values.set(op.output, q);
  values.set(op.scale, Float32Array.of(scale));
  values.set(op.zeroPoint, Float32Array.of(zeroPoint));
};
