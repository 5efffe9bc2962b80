/** The max / average pooling case table: reference.ts, the wasm kernel (pool.wasm.test.ts), the WGSL kernel (pool.wgsl.test.ts). */
import { randomInt8 } from '../../../testing/random.js';
import type { PlanPool } from '../../plan/types.js';

export interface PoolCase {
  name: string;
  kind: 'maxpool' | 'avgpool';
  N: number; C: number; H: number; W: number; k: number; s: number; p: number; d?: number;
  /** count_include_pad. */
  inc?: boolean;
  /** Output size rounded up (ceil_mode): the last window overhangs the padding. */
  ceil?: boolean;
  zin: number; zout: number; scale: number;
}

export const POOL_CASES: readonly PoolCase[] = [
  { name: 'maxpool 3x3 s2 p1 (ResNet stem)', kind: 'maxpool', N: 1, C: 19, H: 9, W: 8, k: 3, s: 2, p: 1, zin: -7, zout: 4, scale: 0.83 },
  { name: 'maxpool 3x3 s2 p1, batch 2, C not a multiple of 4', kind: 'maxpool', N: 2, C: 6, H: 11, W: 9, k: 3, s: 2, p: 1, zin: 7, zout: -3, scale: 1.37 },
  { name: 'maxpool 2x2 s2', kind: 'maxpool', N: 1, C: 19, H: 9, W: 8, k: 2, s: 2, p: 0, zin: -7, zout: 4, scale: 0.83 },
  { name: 'maxpool dilated', kind: 'maxpool', N: 1, C: 8, H: 9, W: 9, k: 2, s: 1, p: 0, d: 2, zin: 7, zout: -3, scale: 1.37 },
  { name: 'avgpool 3x3 s1 p1, count_include_pad=0', kind: 'avgpool', N: 1, C: 19, H: 9, W: 8, k: 3, s: 1, p: 1, zin: -7, zout: 4, scale: 0.83 },
  { name: 'avgpool 3x3 s1 p1, count_include_pad=0, C = 5', kind: 'avgpool', N: 1, C: 5, H: 7, W: 6, k: 3, s: 1, p: 1, zin: 7, zout: -3, scale: 1.37 },
  { name: 'avgpool 3x3 s2 p1, count_include_pad=1', kind: 'avgpool', N: 1, C: 19, H: 9, W: 8, k: 3, s: 2, p: 1, inc: true, zin: -7, zout: 4, scale: 0.83 },
  { name: 'avgpool 2x2 s2 p1, count_include_pad=1, batch 2', kind: 'avgpool', N: 2, C: 8, H: 6, W: 7, k: 2, s: 2, p: 1, inc: true, zin: 7, zout: -3, scale: 1.37 },
  { name: 'avgpool 3x3 s2 p0, count_include_pad=1, ceil-mode overhang', kind: 'avgpool', N: 1, C: 19, H: 9, W: 8, k: 3, s: 2, p: 0, inc: true, ceil: true, zin: -7, zout: 4, scale: 0.83 },
];

/**
 * The plan op (tensor 0 -> 1), shapes and input of a case.
 *
 * @example
 * ```ts
 * const { op, inShape, outShape, x } = makePoolCase(POOL_CASES[0]);
 * ```
 */
export function makePoolCase(c: PoolCase): { op: PlanPool; inShape: number[]; outShape: number[]; x: Int8Array } {
  const d = c.d ?? 1, round = c.ceil ? Math.ceil : Math.floor;
  const out = (n: number) => round((n + 2 * c.p - (c.k - 1) * d - 1) / c.s) + 1;
  const op: PlanPool = {
    op: c.kind, name: c.name, input: 0, output: 1, kernel: [c.k, c.k], strides: [c.s, c.s], pads: [c.p, c.p, c.p, c.p],
    dilations: [d, d], countIncludePad: Boolean(c.inc), inZeroPoint: c.zin, outZeroPoint: c.zout, scale: c.scale,
  };
  const inShape = [c.N, c.C, c.H, c.W];
  return { op, inShape, outShape: [c.N, c.C, out(c.H), out(c.W)], x: randomInt8(inShape.reduce((a, b) => a * b, 1), c.name.length) };
}
