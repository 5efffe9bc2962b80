/**
 * int8 Conv/Gemm reference (wasm version: packages/core/wasm/assembly/{im2row,gemm}.ts). Plain NCHW loops over the
 * plan's op description: acc = bias + sum (x - zx) * w, then f32 requantization with clamp [lo, hi].
 */
import type { PlanConv } from '../../plan/types.js';
import type { HostKernel } from '../shared/host-kernel.js';
import { requantize } from '../shared/requant.js';

/**
 * Runs a plan conv op on an int8 NCHW ([N, C, H, W] or [N, C]) input.
 *
 * @example
 * ```ts
 * const y = convQ8Ref({ op, x, inShape: [1, 16, 8, 8], outShape: [1, 32, 8, 8] });
 * ```
 */
export function convQ8Ref(o: { op: PlanConv; x: Int8Array; inShape: readonly number[]; outShape: readonly number[] }): Int8Array | Float32Array {
  const { op, x } = o;
  const [N, C] = o.inShape, H = o.inShape[2] ?? 1, W = o.inShape[3] ?? 1;
  const OH = o.outShape[2] ?? 1, OW = o.outShape[3] ?? 1;
  const [KH, KW] = op.kernel, Cg = C / op.group, OCg = op.OC / op.group, K = KH * KW * Cg;
  const wts = op.weights16 ?? op.weights;
  const y = op.outputF32 ? new Float32Array(N * op.OC * OH * OW) : new Int8Array(N * op.OC * OH * OW);
  for (let n = 0; n < N; n++) for (let oc = 0; oc < op.OC; oc++) {
    const g = Math.floor(oc / OCg);
    for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
      let acc = op.bias[oc];
      for (let ky = 0; ky < KH; ky++) {
        const iy = oy * op.strides[0] - op.pads[0] + ky * op.dilations[0];
        if (iy < 0 || iy >= H) continue;
        for (let kx = 0; kx < KW; kx++) {
          const ix = ox * op.strides[1] - op.pads[1] + kx * op.dilations[1];
          if (ix < 0 || ix >= W) continue;
          for (let c = 0; c < Cg; c++) {
            const xv = x[((n * C + g * Cg + c) * H + iy) * W + ix] - op.inZeroPoint;
            acc += xv * wts[oc * K + (ky * KW + kx) * Cg + c];
          }
        }
      }
      const i = ((n * op.OC + oc) * OH + oy) * OW + ox;
      y[i] = op.outputF32 ? Math.fround(Math.fround(acc) * op.multiplier[oc]) : requantize(acc, op.multiplier[oc], op.outZeroPoint, op.lo, op.hi);
    }
  }
  return y;
}

/** The host kernel: the wasm engine runs convs with int16 weights (PlanConv.weights16) this way. Exact; slow. */
export const convHost: HostKernel<PlanConv> = (op, values, tensors) => {
  const x = values.get(op.input) as Int8Array;
  values.set(op.output, convQ8Ref({ op, x, inShape: tensors[op.input].shape, outShape: tensors[op.output].shape }));
};
