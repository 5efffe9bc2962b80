/** The GlobalAveragePool case table: reference.ts, the wasm kernel and the WGSL kernel are checked against it. */
import { randomInt8 } from '../../../testing/random.js';
import type { PlanGlobalAvgPool } from '../../plan/types.js';

export interface GlobalAvgPoolCase {
  name: string;
  shape: [number, number, number, number];
  zin: number;
  zout: number;
  /** x_scale / y_scale (divided by H * W for the op's multiplier). */
  scale: number;
  seed: number;
}

export const GLOBAL_AVG_POOL_CASES: readonly GlobalAvgPoolCase[] = [
  { name: 'batch 2, 7x7, C = 33', shape: [2, 33, 7, 7], zin: -3, zout: 2, scale: 1.3, seed: 5 },
  { name: 'batch 3, 7x7, C not a multiple of 4', shape: [3, 70, 7, 7], zin: -4, zout: 6, scale: 2.3, seed: 5 },
];

/**
 * The plan op (tensor 0 -> 1), output shape and input of a case.
 *
 * @example
 * ```ts
 * const { op, outShape, x } = makeGlobalAvgPoolCase(GLOBAL_AVG_POOL_CASES[0]);
 * ```
 */
export function makeGlobalAvgPoolCase(c: GlobalAvgPoolCase): { op: PlanGlobalAvgPool; outShape: number[]; x: Int8Array } {
  const [N, C, H, W] = c.shape;
  const op: PlanGlobalAvgPool = { op: 'gap', name: c.name, input: 0, output: 1, inZeroPoint: c.zin, outZeroPoint: c.zout, multiplier: Math.fround(c.scale / (H * W)) };
  return { op, outShape: [N, C, 1, 1], x: randomInt8(N * C * H * W, c.seed) };
}
