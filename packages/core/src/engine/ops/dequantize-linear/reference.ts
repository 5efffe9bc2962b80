/** DequantizeLinear out of the plan's int8 domain: y = (q - zero point) * scale in f32. Runs on the host in both engines. */
import type { PlanDequantize } from '../../plan/types.js';
import type { HostKernel } from '../shared/host-kernel.js';

/**
 * (q - zp) * f32(scale) for every element (NCHW in, NCHW out).
 *
 * @example
 * ```ts
 * dequantizeRef({ q: new Int8Array([-3, 7]), scale: 0.5, zeroPoint: -3 }); // Float32Array [0, 5]
 * ```
 */
export function dequantizeRef(o: { q: Int8Array; scale: number; zeroPoint: number }): Float32Array {
  const s = Math.fround(o.scale), zp = o.zeroPoint;
  const out = new Float32Array(o.q.length);
  for (let i = 0; i < o.q.length; i++) out[i] = (o.q[i] - zp) * s;
  return out;
}

/** The host kernel (both executors: int8 values come out of the engine's layout first). */
export const dequantizeLinearHost: HostKernel<PlanDequantize> = (op, values) => {
  values.set(op.output, dequantizeRef({ q: values.get(op.input) as Int8Array, scale: op.scale, zeroPoint: op.zeroPoint }));
};
