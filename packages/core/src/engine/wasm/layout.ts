/** Physical layout of int8 tensors in the wasm engine: NHWC, channel stride padded to 16 bytes. */
import type { NhwcDims } from '../ops/shared/nhwc.js';
import type { PlanTensor } from '../plan/types.js';

export interface QLayout extends NhwcDims {
  /** Channel stride: C rounded up to 16. */
  Cs: number;
  bytes: number;
}

/**
 * Rank 4 is NCHW, rank 2 is [N, C]; other ranks are read as [N, C, rest...] (rank 1 as [1, C]).
 *
 * @example
 * ```ts
 * qLayout({ shape: [1, 20, 5, 5] }); // { N: 1, C: 20, H: 5, W: 5, Cs: 32, bytes: 800 }
 * ```
 */
export function qLayout(t: Pick<PlanTensor, 'shape'>): QLayout {
  const s = t.shape;
  const N = s.length >= 2 ? s[0] : 1;
  const C = s.length >= 2 ? s[1] : (s[0] ?? 1);
  const H = s.length === 4 ? s[2] : s.length > 2 ? s.slice(2).reduce((p, d) => p * d, 1) : 1;
  const W = s.length === 4 ? s[3] : 1;
  const Cs = (C + 15) & ~15;
  return { N, C, H, W, Cs, bytes: Math.max(16, N * H * W * Cs) };
}
