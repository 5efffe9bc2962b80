/** detect(): manifest defaults + caller overrides -> decode + NMS, the optional second stage, boxes in source pixels. */
import type { ImagePreprocessOptions } from '../image/decode-to-size.js';
import type { PreprocessTransform } from '../image/geometry.js';
import type { ModelManifest, NmsMode } from '../package/manifest-types.js';
import type { Tensor, TensorData } from '../tensor.js';
import { detectCandidates, mapDetections } from '../tasks/detect.js';
import type { Detection, ScoredBox } from '../tasks/detect-types.js';
import { checkIouThreshold, checkMaxDetections, checkNmsMode, checkScoreThreshold, nms } from '../tasks/nms.js';

export type { Detection, Box } from '../tasks/detect-types.js';

export interface DetectOptions {
  /** Minimum score, a number in [0, 1] (default: the manifest's). */
  scoreThreshold?: number;
  /** IoU above which a lower-scored box is suppressed, 0..1 (of the same class with `nms: 'per-class'`; default: the manifest's). */
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
 * Checks the values of detect()'s post-processing options (and load()'s `detection` overrides) before any decoding:
 * `scoreThreshold` and `iouThreshold` in [0, 1], `maxDetections` an integer, `nms` a known mode; undefined is the default.
 *
 * @example
 * ```ts
 * checkDetectOptions({ scoreThreshold: 2 }); // throws INVALID_ARGUMENT: scoreThreshold must be a number in [0, 1], got 2.
 * ```
 */
export function checkDetectOptions(o: { [K in 'scoreThreshold' | 'iouThreshold' | 'maxDetections' | 'nms']?: unknown }): void {
  if (o.scoreThreshold !== undefined) checkScoreThreshold(o.scoreThreshold);
  if (o.iouThreshold !== undefined) checkIouThreshold(o.iouThreshold);
  if (o.maxDetections !== undefined) checkMaxDetections(o.maxDetections);
  if (o.nms !== undefined) checkNmsMode(o.nms);
}

/**
 * Post-processes one image's detection outputs: decode + NMS in model-input pixels, then (two-stage models) the
 * second stage re-labels the kept boxes and NMS runs again on the new labels, then boxes map back to the source image.
 *
 * @example
 * ```ts
 * const dets = await runDetection({ outputs, manifest, transform, options: { scoreThreshold: 0.5, nms: 'class-agnostic' } });
 * ```
 */
export async function runDetection(o: {
  outputs: Record<string, Tensor<TensorData>>;
  manifest: ModelManifest;
  transform: PreprocessTransform;
  options: DetectOptions;
  /** The second stage: new labels and scores for the candidates (model-input pixels), e.g. {@link Refiner.relabel}. */
  refine?: (candidates: ScoredBox[], scoreThreshold: number) => Promise<ScoredBox[]>;
}): Promise<Detection[]> {
  const spec = o.manifest.detection!;
  const settings = {
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
  };
  let candidates = detectCandidates(settings);
  if (o.refine && candidates.length > 0) {
    // Final score = detector confidence x class probability <= the first stage's, so the threshold still applies to it.
    const relabelled = await o.refine(candidates, settings.scoreThreshold);
    candidates = nms({ boxes: relabelled, iouThreshold: settings.iouThreshold, maxDetections: settings.maxDetections, mode: checkNmsMode(settings.nms) });
  }
  return mapDetections({ candidates, labels: settings.labels, transform: o.transform });
}
