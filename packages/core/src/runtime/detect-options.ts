/**
 * detect()'s options and their value checks, apart from the detection code (detect-task.ts): load() and the per-call
 * option checks use them without depending on decoding and NMS.
 */
import type { ImagePreprocessOptions } from '../image/decode-to-size.js';
import type { NmsMode } from '../package/manifest-types.js';
import { checkIouThreshold, checkMaxDetections, checkNmsMode, checkScoreThreshold } from '../tasks/detect-limits.js';

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
