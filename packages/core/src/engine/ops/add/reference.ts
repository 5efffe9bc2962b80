/** int8 Add reference (wasm: packages/core/wasm/assembly/eltwise.ts add_q8), QLinearAdd semantics in f32. */
import type { PlanAdd } from '../../plan/types.js';
import { roundHalfEven } from '../shared/requant.js';

/**
 * c = sat(roundHalfEven(ra (a - za) + rb (b - zb)) + zc), clamped to [lo, hi].
 *
 * @example
 * ```ts
 * const c = addQ8Ref({ op, a, b });
 * ```
 */
export function addQ8Ref(o: { op: PlanAdd; a: Int8Array; b: Int8Array }): Int8Array {
  const { op } = o;
  const out = new Int8Array(o.a.length);
  for (let i = 0; i < out.length; i++) {
    const fa = Math.fround((o.a[i] - op.za) * Math.fround(op.ra));
    const fb = Math.fround((o.b[i] - op.zb) * Math.fround(op.rb));
    const r = roundHalfEven(Math.fround(fa + fb)) + op.zc;
    out[i] = r < op.lo ? op.lo : r > op.hi ? op.hi : r;
  }
  return out;
}
