import { ResNetEdgeError } from '../errors.js';

/**
 * Indices of the `k` largest values, largest first; ties keep the lower index first (stable, deterministic).
 *
 * @example
 * ```ts
 * topK({ values: [0.1, 0.7, 0.2], k: 2 }); // [1, 2]
 * ```
 */
export function topK(options: { values: ArrayLike<number>; k: number }): number[] {
  const values = options?.values;
  if (!values || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new ResNetEdgeError('INVALID_ARGUMENT', 'topK takes { values: an array of numbers, k }.');
  }
  const k = Math.max(0, Math.min(Math.floor(options.k), values.length));
  const idx = Array.from({ length: values.length }, (_, i) => i);
  idx.sort((a, b) => values[b] - values[a] || a - b);
  return idx.slice(0, k);
}
