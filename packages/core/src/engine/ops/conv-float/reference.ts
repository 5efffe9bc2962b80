/**
 * The `fconv` op (a float conv between int8 tensors, as onnxruntime runs unfused QDQ convs): dequantize, fp32 conv in
 * MLAS order (ops/shared/mlas-conv.ts), quantize; every step an f32 operation. Host kernel; no wasm kernel yet.
 */
import type { PlanConvFloat } from '../../plan/types.js';
import type { HostKernel } from '../shared/host-kernel.js';
import { mlasConv2d } from '../shared/mlas-conv.js';
import { roundHalfEven } from '../shared/requant.js';

/**
 * Runs the op on an int8 NCHW input of shape [N, C, H, W].
 *
 * @example
 * ```ts
 * const y = convFloatRef({ op, x, inShape: [1, 64, 56, 56], outShape: [1, 64, 56, 56] });
 * ```
 */
export function convFloatRef(o: { op: PlanConvFloat; x: Int8Array; inShape: readonly number[]; outShape: readonly number[] }): Int8Array {
  const { op } = o, f = Math.fround;
  const [N, C, H, W] = o.inShape, [, , OH, OW] = o.outShape;
  const sx = f(op.x.scale), sy = f(op.y.scale);
  const xf = new Float32Array(o.x.length);
  for (let i = 0; i < xf.length; i++) xf[i] = (o.x[i] - op.x.zeroPoint) * sx;
  const yf = new Float32Array(N * op.OC * OH * OW);
  const geo = { C, H, W, OC: op.OC, OH, OW, group: op.group, kernel: op.kernel, strides: op.strides, pads: op.pads, dilations: op.dilations };
  for (let n = 0; n < N; n++) mlasConv2d(geo, xf, n * C * H * W, op.weights, op.bias, yf, n * op.OC * OH * OW);
  const y = new Int8Array(yf.length);
  for (let i = 0; i < y.length; i++) {
    const q = roundHalfEven(f(yf[i] / sy)) + op.y.zeroPoint;
    y[i] = q < op.lo ? op.lo : q > op.hi ? op.hi : q;
  }
  return y;
}

/** The host kernel (int8 NCHW in and out). */
export const convFloatHost: HostKernel<PlanConvFloat> = (op, values, tensors) => {
  values.set(op.output, convFloatRef({ op, x: values.get(op.input) as Int8Array, inShape: tensors[op.input].shape, outShape: tensors[op.output].shape }));
};
