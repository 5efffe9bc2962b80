/** int8 channel Concat reference (wasm: packages/core/wasm/assembly/eltwise.ts copy_channels). NCHW in and out. */
import type { PlanConcat } from '../../plan/types.js';

/**
 * Concatenates NCHW inputs along channels (inputs share quantization, so values are copied unchanged).
 *
 * @example
 * ```ts
 * const y = concatQ8Ref({ op, inputs: [a, b], inShapes: [[1, 3, 4, 4], [1, 5, 4, 4]] });
 * ```
 */
export function concatQ8Ref(o: { op: PlanConcat; inputs: Int8Array[]; inShapes: readonly (readonly number[])[] }): Int8Array {
  const N = o.inShapes[0][0], HW = o.inShapes[0].slice(2).reduce((a, b) => a * b, 1);
  const Cs = o.inShapes.map((s) => s[1]), C = Cs.reduce((a, b) => a + b, 0);
  const out = new Int8Array(N * C * HW);
  for (let n = 0; n < N; n++) {
    let off = 0;
    o.inputs.forEach((p, i) => {
      out.set(p.subarray(n * Cs[i] * HW, (n + 1) * Cs[i] * HW), (n * C + off) * HW);
      off += Cs[i];
    });
  }
  return out;
}
