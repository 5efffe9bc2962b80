/** The add case table: reference.ts, the wasm kernel (add.wasm.test.ts) and the WGSL kernel (add.wgsl.test.ts). */
import { randomInt8 } from '../../../testing/random.js';
import type { PlanAdd } from '../../plan/types.js';

export interface AddCase {
  name: string;
  shape: number[];
  /** ra, rb, za, zb, zc, lo, hi. */
  q: Omit<PlanAdd, 'op' | 'name' | 'a' | 'b' | 'output'>;
}

export const ADD_CASES: readonly AddCase[] = [
  { name: 'padded channels (C = 20)', shape: [2, 20, 5, 3], q: { ra: 0.37, rb: 0.61, za: -3, zb: 9, zc: -20, lo: -128, hi: 127 } },
  { name: 'padded channels + relu', shape: [2, 20, 5, 3], q: { ra: 0.37, rb: 0.61, za: -3, zb: 9, zc: -20, lo: -20, hi: 127 } },
  { name: 'residual add + relu, C not a multiple of 4', shape: [2, 6, 5, 7], q: { ra: 0.73, rb: 1.31, za: 4, zb: -9, zc: -20, lo: -20, hi: 127 } },
  { name: 'ties: ra = rb = 0.5', shape: [1, 16, 8, 8], q: { ra: 0.5, rb: 0.5, za: 0, zb: 1, zc: 0, lo: -128, hi: 127 } },
  { name: 'odd scales (fused multiply-add would change the rounding)', shape: [1, 32, 9, 9], q: { ra: Math.fround(0.1), rb: Math.fround(0.3), za: -3, zb: 2, zc: 5, lo: -128, hi: 127 } },
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
