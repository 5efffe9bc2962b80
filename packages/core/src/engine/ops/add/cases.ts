/** The add case table: reference.ts, the wasm kernel (add.wasm.test.ts) and the WGSL kernel (add.wgsl.test.ts). */
import { randomInt8 } from '../../../testing/random.js';
import type { PlanAdd } from '../../plan/types.js';

export interface AddCase {
  name: string;
  shape: number[];
  /** sa, sb, sc, za, zb, zc, zr, lo, hi. */
  q: Omit<PlanAdd, 'op' | 'name' | 'a' | 'b' | 'output'>;
}

const f = Math.fround;

export const ADD_CASES: readonly AddCase[] = [
  { name: 'padded channels (C = 20), uint8 QLinearAdd', shape: [2, 20, 5, 3], q: { sa: f(0.037), sb: f(0.061), sc: f(0.1), za: -3, zb: 9, zc: -20, zr: 108, lo: -128, hi: 127 } },
  { name: 'padded channels + relu', shape: [2, 20, 5, 3], q: { sa: f(0.037), sb: f(0.061), sc: f(0.1), za: -3, zb: 9, zc: -20, zr: 108, lo: -20, hi: 127 } },
  { name: 'residual add + relu, C not a multiple of 4, int8', shape: [2, 6, 5, 7], q: { sa: f(0.073), sb: f(0.131), sc: f(0.1), za: 4, zb: -9, zc: -20, zr: -20, lo: -20, hi: 127 } },
  { name: 'ties: sa = sb = sc / 2, float Add then QuantizeLinear', shape: [1, 16, 8, 8], q: { sa: 0.25, sb: 0.25, sc: 0.5, za: 0, zb: 1, zc: 0, zr: 0, lo: -128, hi: 127 } },
  { name: 'odd scales (a fused multiply-add or a reciprocal would change the rounding)', shape: [1, 32, 9, 9], q: { sa: f(0.01), sb: f(0.03), sc: f(0.1), za: -3, zb: 2, zc: 5, zr: 133, lo: -128, hi: 127 } },
];

/**
 * The plan op (tensors 0 + 1 -> 2) and inputs of a case.
 *
 * @example
 * ```ts
 * const { op, a, b } = makeAddCase(ADD_CASES[0]);
 * ```
 */
export function makeAddCase(c: AddCase): { op: PlanAdd; a: Int8Array; b: Int8Array } {
  const n = c.shape.reduce((p, d) => p * d, 1);
  return { op: { op: 'add', name: c.name, a: 0, b: 1, output: 2, ...c.q }, a: randomInt8(n, 11), b: randomInt8(n, 12) };
}
