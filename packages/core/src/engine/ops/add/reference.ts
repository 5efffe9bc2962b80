/** int8 Add reference (wasm: packages/core/wasm/assembly/eltwise.ts add_q8; WGSL: a table built from this). */
import type { PlanAdd } from '../../plan/types.js';
import { roundHalfEven } from '../shared/requant.js';

/**
 * One output value of {@link PlanAdd} (int8 domain), in onnxruntime's f32 operation order.
 *
 * @example
 * ```ts
 * addQ8Value(op, 12, -3);
 * ```
 */
export function addQ8Value(op: PlanAdd, a: number, b: number): number {
  const f = Math.fround;
  const va = f(f(op.sa) * (a - op.za)), vb = f(f(op.sb) * (b - op.zb));
  let v = f(f(va + vb) / f(op.sc));
  v = v < op.lo - op.zc ? op.lo - op.zc : v > op.hi - op.zc ? op.hi - op.zc : v;
  return roundHalfEven(f(v + op.zr)) + op.zc - op.zr;
}

/**
 * The whole tensor: c[i] = addQ8Value(op, a[i], b[i]).
 *
 * @example
 * ```ts
 * const c = addQ8Ref({ op, a, b });
 * ```
 */
export function addQ8Ref(o: { op: PlanAdd; a: Int8Array; b: Int8Array }): Int8Array {
  const out = new Int8Array(o.a.length);
  for (let i = 0; i < out.length; i++) out[i] = addQ8Value(o.op, o.a[i], o.b[i]);
  return out;
}

/**
 * All 65536 results, indexed (a + 128) * 256 + (b + 128): the WGSL kernel looks them up (WGSL's f32 division is
 * not correctly rounded, so it cannot recompute them exactly).
 *
 * @example
 * ```ts
 * const table = addQ8Table(op); // Int8Array(65536)
 * ```
 */
export function addQ8Table(op: PlanAdd): Int8Array {
  const t = new Int8Array(65536);
  for (let a = -128; a < 128; a++) for (let b = -128; b < 128; b++) t[(a + 128) * 256 + b + 128] = addQ8Value(op, a, b);
  return t;
}
