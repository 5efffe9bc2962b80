/** detect(): manifest defaults + caller overrides -> decode + NMS, the optional second stage, boxes in source pixels. */
import type { PreprocessTransform } from '../image/geometry.js';
import type { ModelManifest } from '../package/manifest-types.js';
import type { Tensor, TensorData } from '../tensor.js';
import { detectCandidates, mapDetections } from '../tasks/detect.js';
import type { Detection, ScoredBox } from '../tasks/detect-types.js';
import { checkNmsMode } from '../tasks/detect-limits.js';
import { nms } from '../tasks/nms.js';
import type { DetectOptions } from './detect-options.js';

export type { Detection, Box } from '../tasks/detect-types.js';
export type { DetectOptions } from './detect-options.js';

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
