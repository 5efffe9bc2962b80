/**
 * ConvInteger / MatMulInteger with onnxruntime's dynamic-quantization epilogue (PlanConvInteger): plain NCHW loops,
 * the definition the wasm kernel (./wasm.ts) is tested against and its host kernel.
 */
import type { PlanConvInteger, RunValue } from '../../plan/types.js';
import type { HostKernel, HostValue } from '../shared/host-kernel.js';

/** The values of a {@link RunValue} in this run. */
export function runValues(v: RunValue, values: Map<number, HostValue> | Map<number, Float32Array>): ArrayLike<number> {
  return 'values' in v ? v.values : (values.get(v.tensor) as Float32Array);
}

/**
 * y = relu(f32(f32(f32(acc) * mul[oc]) + bias[oc]) + residual), acc = sum (x - zx)(w - zw) over the receptive field (padding
 * contributes nothing: onnxruntime pads with the input zero point). x is the plan's int8 domain.
 *
 * @example
 * ```ts
 * const y = convIntegerRef({ op, x, xZeroPoint: 131, mul: [0.002], inShape: [1, 8, 6, 6], outShape: [1, 16, 6, 6] });
 * ```
 */
export function convIntegerRef(o: {
  op: PlanConvInteger; x: Int8Array; xZeroPoint: number; mul?: ArrayLike<number>; residual?: Float32Array; inShape: readonly number[]; outShape: readonly number[];
  /** Element order of the residual and of the result (default NCHW). */
  residualNhwc?: boolean; outNhwc?: boolean;
}): Float32Array {
  const { op, x } = o;
  const [N, C] = o.inShape, H = o.inShape[2] ?? 1, W = o.inShape[3] ?? 1;
  const OH = o.outShape[2] ?? 1, OW = o.outShape[3] ?? 1;
  const [KH, KW] = op.kernel, Cg = C / op.group, OCg = op.OC / op.group, K = KH * KW * Cg;
  const shift = op.xUnsigned ? 128 : 0, f = Math.fround;
  const y = new Float32Array(N * op.OC * OH * OW);
  for (let n = 0; n < N; n++) for (let oc = 0; oc < op.OC; oc++) {
    const g = Math.floor(oc / OCg);
    const m = o.mul ? f(o.mul[o.mul.length > 1 ? oc : 0]) : 1;
    for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
      let acc = 0;
      for (let ky = 0; ky < KH; ky++) {
        const iy = oy * op.strides[0] - op.pads[0] + ky * op.dilations[0];
        if (iy < 0 || iy >= H) continue;
        for (let kx = 0; kx < KW; kx++) {
          const ix = ox * op.strides[1] - op.pads[1] + kx * op.dilations[1];
          if (ix < 0 || ix >= W) continue;
          for (let c = 0; c < Cg; c++) {
            const xv = x[((n * C + g * Cg + c) * H + iy) * W + ix] + shift - o.xZeroPoint;
            acc += xv * op.weights[oc * K + (ky * KW + kx) * Cg + c];
          }
        }
      }
      const nchw = ((n * op.OC + oc) * OH + oy) * OW + ox, nhwc = ((n * OH + oy) * OW + ox) * op.OC + oc;
      let v = f(f(acc) * m);
      if (op.bias) v = f(v + op.bias[oc]);
      if (o.residual) v = f(v + o.residual[o.residualNhwc ? nhwc : nchw]);
      if (op.relu && !(v > 0)) v = 0;
      y[o.outNhwc ? nhwc : nchw] = v;
    }
  }
  return y;
}

/** The host kernel (int8 NCHW in, f32 out in the output tensor's layout). */
export const convIntegerHost: HostKernel<PlanConvInteger> = (op, values, tensors) => {
  const nhwc = (id: number | undefined) => id !== undefined && (tensors[id] as { layout?: string }).layout === 'nhwc';
  values.set(op.output, convIntegerRef({
    residualNhwc: nhwc(op.residual), outNhwc: nhwc(op.output),
    op, x: values.get(op.input) as Int8Array, xZeroPoint: runValues(op.xZeroPoint, values)[0],
    mul: op.mul && runValues(op.mul, values), residual: op.residual === undefined ? undefined : (values.get(op.residual) as Float32Array),
    inShape: tensors[op.input].shape, outShape: tensors[op.output].shape,
  }));
};
