/**
 * Numerically stable softmax (subtracts the max first).
 *
 * @example
 * ```ts
 * softmax(new Float32Array([1, 2, 3])); // ~[0.09, 0.24, 0.67]
 * ```
 */
export function softmax(logits: ArrayLike<number>): Float32Array {
  const out = new Float32Array(logits.length);
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp(logits[i] - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return out;
}
