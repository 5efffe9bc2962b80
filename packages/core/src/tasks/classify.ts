/** Classification post-processing: logits or probabilities -> sorted `[{label, score}]`. */
import { ResNetEdgeError } from '../errors.js';
import { softmax } from './softmax.js';
import { topK } from './top-k.js';

/** One class and its probability. */
export interface Classification {
  label: string;
  score: number;
}

/**
 * Turns one row of model output into the top-k labels with probabilities.
 *
 * @example
 * ```ts
 * toClassifications({ output: logits, labels, kind: 'logits', topK: 3 });
 * ```
 */
export function toClassifications(options: {
  output: ArrayLike<number>;
  labels: readonly string[];
  kind: 'logits' | 'probabilities';
  topK: number;
}): Classification[] {
  const { output, labels, kind } = options;
  if (kind !== 'logits' && kind !== 'probabilities') {
    throw new ResNetEdgeError('INVALID_ARGUMENT', `toClassifications: kind must be 'logits' or 'probabilities', got ${JSON.stringify(kind)}.`);
  }
  if (output.length !== labels.length) {
    throw new ResNetEdgeError('INFERENCE_FAILED', `Model produced ${output.length} scores but the manifest lists ${labels.length} labels.`);
  }
  const probs = kind === 'logits' ? softmax(output) : Float32Array.from(output);
  return topK({ values: probs, k: options.topK }).map((i) => ({ label: labels[i], score: probs[i] }));
}
