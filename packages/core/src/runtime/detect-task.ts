/** detect(): manifest defaults + caller overrides -> `toDetections` (decode, class-aware NMS, map to source pixels). */
import type { PreprocessTransform } from '../image/geometry.js';
import type { ModelManifest } from '../package/manifest-types.js';
import type { Tensor, TensorData } from '../tensor.js';
import { toDetections } from '../tasks/detect.js';
import type { Detection } from '../tasks/detect-types.js';

export type { Detection, Box } from '../tasks/detect-types.js';

export interface DetectOptions {
  /** Minimum score (default: the manifest's). */
  scoreThreshold?: number;
  /** IoU above which a lower-scored box of the same class is suppressed (default: the manifest's). */
  iouThreshold?: number;
  /** At most this many boxes (default: the manifest's). */
  maxDetections?: number;
  signal?: AbortSignal;
}

/**
 * Post-processes one image's detection outputs.
 *
 * @example
 * ```ts
 * const dets = runDetection({ outputs, manifest, transform, options: { scoreThreshold: 0.5 } });
 * ```
 */
export function runDetection(o: {
  outputs: Record<string, Tensor<TensorData>>;
  manifest: ModelManifest;
  transform: PreprocessTransform;
  options: DetectOptions;
}): Detection[] {
  const spec = o.manifest.detection!;
  return toDetections({
    outputs: o.outputs,
    head: spec.head,
    labels: o.manifest.labels,
    inputWidth: o.manifest.input.shape[3],
    inputHeight: o.manifest.input.shape[2],
    transform: o.transform,
    scoreThreshold: o.options.scoreThreshold ?? spec.scoreThreshold,
    iouThreshold: o.options.iouThreshold ?? spec.iouThreshold,
    maxDetections: o.options.maxDetections ?? spec.maxDetections,
  });
}
