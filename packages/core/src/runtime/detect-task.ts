/** detect(): manifest defaults + caller overrides -> `toDetections` (decode, NMS, map to source pixels). */
import type { ImagePreprocessOptions } from '../image/decode-to-size.js';
import type { PreprocessTransform } from '../image/geometry.js';
import type { ModelManifest, NmsMode } from '../package/manifest-types.js';
import type { Tensor, TensorData } from '../tensor.js';
import { toDetections } from '../tasks/detect.js';
import type { Detection } from '../tasks/detect-types.js';

export type { Detection, Box } from '../tasks/detect-types.js';

export interface DetectOptions {
  /** Minimum score (default: the manifest's). */
  scoreThreshold?: number;
  /** IoU above which a lower-scored box is suppressed (of the same class with `nms: 'per-class'`; default: the manifest's). */
  iouThreshold?: number;
  /** At most this many boxes, after NMS (default: the manifest's). */
  maxDetections?: number;
  /**
   * `class-agnostic`: one box per object, overlapping boxes of other classes are suppressed; `per-class`: suppression
   * only within a class, so an object the model is unsure about can get one box per candidate class. Default: the
   * manifest's `detection.nms` (`class-agnostic` for the built-in detector), `per-class` when the manifest has none.
   */
  nms?: NmsMode;
  signal?: AbortSignal;
  /** Overrides the model's image settings (from `load({ preprocess })`) for this call, e.g. `{ decode: 'exact' }`. */
  preprocess?: ImagePreprocessOptions;
}

/**
 * Post-processes one image's detection outputs.
 *
 * @example
 * ```ts
 * const dets = runDetection({ outputs, manifest, transform, options: { scoreThreshold: 0.5, nms: 'class-agnostic' } });
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
    nms: o.options.nms ?? spec.nms ?? 'per-class',
  });
}
