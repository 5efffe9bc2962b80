/** QuantizeLinear reference into the plan's int8 domain (wasm: packages/core/wasm/assembly/quantize.ts). */
import type { PlanQuantize } from '../../plan/types.js';
import type { HostKernel } from '../shared/host-kernel.js';
import { roundHalfEven } from '../shared/requant.js';

/**
 * q = sat(roundHalfEven(f32(x / scale)) + zp) in [-128, 127]; NCHW in, NCHW out.
 *
 * @example
 * ```ts
 * quantizeRef({ x: new Float32Array([0.5, -1]), scale: 0.01, zeroPoint: 0 }); // Int8Array [50, -100]
 * ```
 */
export function quantizeRef(o: { x: Float32Array; scale: number; zeroPoint: number }): Int8Array {
  const s = Math.fround(o.scale);
  return Int8Array.from(o.x, (v) => {
    const f = Math.fround(v / s);
    const q = Number.isNaN(f) ? o.zeroPoint : roundHalfEven(Math.max(-1000, Math.min(1000, f))) + o.zeroPoint;
    return q < -128 ? -128 : q > 127 ? 127 : q;
  });
}

/** The host kernel (the WebGPU executor quantizes graph inputs on the host, bit-identical to the engines' kernels). */
export const quantizeLinearHost: HostKernel<PlanQuantize> = (op, values) => {
  values.set(op.output, quantizeRef({ x: values.get(op.input) as Float32Array, scale: op.scale, zeroPoint: op.zeroPoint }));
};
