/** int8 GlobalAveragePool reference (wasm: packages/core/wasm/assembly/pool.ts gap_q8). NCHW in, [N, C, 1, 1] out. */
import type { PlanGlobalAvgPool } from '../../plan/types.js';
import { requantize } from '../shared/requant.js';

/**
 * GlobalAveragePool on int8 NCHW: y = sat(nearest(f32(sum - zx HW) * multiplier) + zy).
 *
 * @example
 * ```ts
 * const y = gapQ8Ref({ op, x, inShape: [1, 64, 7, 7] });
 * ```
 */
export function gapQ8Ref(o: { op: PlanGlobalAvgPool; x: Int8Array; inShape: readonly number[] }): Int8Array {
  const [N, C, H, W] = o.inShape, HW = H * W;
  const y = new Int8Array(N * C);
  for (let i = 0; i < N * C; i++) {
    let s = 0;
    for (let p = 0; p < HW; p++) s += o.x[i * HW + p];
    y[i] = requantize(s - o.op.inZeroPoint * HW, o.op.multiplier, o.op.outZeroPoint, -128, 127);
  }
  return y;
}
