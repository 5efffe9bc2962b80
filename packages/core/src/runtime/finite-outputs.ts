/**
 * A run whose float outputs hold NaN or Infinity has no meaningful answer (scores would serialize as `null`, boxes
 * as nonsense): it is reported as INFERENCE_FAILED instead of being returned.
 */
import { BackendError } from '../errors.js';
import type { Tensor } from '../tensor.js';

/**
 * Returns the outputs unchanged, or throws INFERENCE_FAILED naming the first output with non-finite values.
 *
 * @example
 * ```ts
 * const outputs = checkFiniteOutputs(await session.run(feeds), 'wasm');
 * ```
 */
export function checkFiniteOutputs(outputs: Record<string, Tensor>, backend: string): Record<string, Tensor> {
  for (const [name, t] of Object.entries(outputs)) {
    if (!(t.data instanceof Float32Array)) continue;
    let bad = 0, nan = 0;
    for (let i = 0; i < t.data.length; i++) {
      const v = t.data[i];
      // v - v is NaN exactly for NaN and +-Infinity.
      if (v - v !== 0) {
        bad++;
        if (v !== v) nan++;
      }
    }
    if (bad) {
      throw new BackendError('INFERENCE_FAILED', `The model produced ${bad} non-finite value${bad > 1 ? 's' : ''} (${nan} NaN, ${bad - nan} infinite) of ${t.data.length} in output "${name}" on ${backend}: its parameters or input make the result meaningless.`, {
        details: { output: name, nonFinite: bad, nan, backend },
      });
    }
  }
  return outputs;
}
