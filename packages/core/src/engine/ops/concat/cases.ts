/** The concat case table: reference.ts, the wasm kernel (concat.wasm.test.ts), the WGSL kernel (concat.wgsl.test.ts). */
import { randomInt8 } from '../../../testing/random.js';
import type { PlanConcat } from '../../plan/types.js';

export interface ConcatCase {
  name: string;
  /** Channels of each input. */
  Cs: number[];
  N: number; H: number; W: number;
}

export const CONCAT_CASES: readonly ConcatCase[] = [
  { name: 'three inputs at unaligned channel offsets, batch 2', Cs: [3, 6, 5], N: 2, H: 4, W: 5 },
  { name: 'two inputs across the wasm 16-channel padding, [N, C] tensors', Cs: [13, 20], N: 3, H: 1, W: 1 },
];

/**
 * The plan op (tensors 0..k-1 -> k), every tensor's shape and the inputs of a case.
 *
 * @example
 * ```ts
 * const { op, shapes, inputs } = makeConcatCase(CONCAT_CASES[0]);
 * ```
 */
export function makeConcatCase(c: ConcatCase): { op: PlanConcat; shapes: number[][]; inputs: Int8Array[] } {
  const spatial = c.H * c.W === 1 ? [] : [c.H, c.W];
  const shapes = [...c.Cs.map((C) => [c.N, C, ...spatial]), [c.N, c.Cs.reduce((a, b) => a + b, 0), ...spatial]];
  const op: PlanConcat = { op: 'concat', name: c.name, inputs: c.Cs.map((_, i) => i), output: c.Cs.length };
  return { op, shapes, inputs: c.Cs.map((C, i) => randomInt8(c.N * C * c.H * c.W, 40 + i)) };
}
