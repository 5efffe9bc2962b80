/** Detection post-processing: raw head outputs -> decoded, suppressed boxes in original image pixels. */
import { ResNetEdgeError } from '../errors.js';
import { mapBoxToSource, type PreprocessTransform } from '../image/geometry.js';
import type { DetectionHead, NmsMode } from '../package/manifest-types.js';
import type { Tensor, TensorData } from '../tensor.js';
import { decodeBoxesScores } from './decode-boxes-scores.js';
import { decodeCenterNet } from './decode-centernet.js';
import { decodeDetr } from './decode-detr.js';
import { decodeTorchvision } from './decode-torchvision.js';
import type { Detection, ScoredBox } from './detect-types.js';
import { checkNmsMode } from './detect-limits.js';
import { nms } from './nms.js';

export type { Detection, ScoredBox } from './detect-types.js';

export interface ToDetectionsOptions {
  /** Graph outputs by name (as returned by `InferenceSession.run`). */
  outputs: Record<string, Tensor<TensorData>>;
  /** The manifest's detection head. */
  head: DetectionHead;
  /** Class names; `classIndex` i becomes `labels[i]`. */
  labels: readonly string[];
  /** Model input size in pixels (`manifest.input.shape[3]`, `[2]`). */
  inputWidth: number;
  inputHeight: number;
  /** Model-input -> source mapping from preprocessing; boxes are mapped back and clamped to the source image. */
  transform: PreprocessTransform;
  scoreThreshold: number;
  iouThreshold: number;
  maxDetections: number;
  /** `class-agnostic`: one box per object (overlapping boxes of other classes are suppressed); `per-class`: only within a class. */
  nms: NmsMode;
  /** Image of the batch (default 0). */
  batchIndex?: number;
}

/** Candidates decoded before NMS: enough for crowded images, bounded so a noisy head cannot blow up NMS. */
const PRE_NMS_TOP_K = 1000;

function output(outputs: Record<string, Tensor<TensorData>>, name: string): Tensor<TensorData> {
  const t = outputs?.[name];
  if (!t) throw new ResNetEdgeError('INFERENCE_FAILED', `Model has no output "${name}".`, { details: { outputs: Object.keys(outputs ?? {}) } });
  return t;
}

/**
 * Decodes one image's detection outputs per the manifest head, runs NMS (`nms` mode), maps the boxes from model-input
 * pixels back to the original image (undoing letterbox/stretch) and clamps them to it. Boxes that end up empty
 * (entirely in the letterbox padding) are dropped. Result is sorted by score, best first.
 *
 * @example
 * ```ts
 * const dets = toDetections({ outputs, head: manifest.detection.head, labels: manifest.labels,
 *   inputWidth: 96, inputHeight: 96, transform, scoreThreshold: 0.3, iouThreshold: 0.5, maxDetections: 100, nms: 'class-agnostic' });
 * ```
 */
export function toDetections(options: ToDetectionsOptions): Detection[] {
  return mapDetections({ candidates: detectCandidates(options), labels: options.labels, transform: options.transform });
}

/**
 * The first half of {@link toDetections}: decoded, suppressed candidates in model-input pixels (what a second stage
 * crops from), best first.
 *
 * @example
 * ```ts
 * const cands = detectCandidates({ outputs, head, labels, inputWidth: 96, inputHeight: 96, transform, scoreThreshold: 0.3,
 *   iouThreshold: 0.5, maxDetections: 100, nms: 'class-agnostic' });
 * ```
 */
export function detectCandidates(options: ToDetectionsOptions): ScoredBox[] {
  const { head } = options;
  let cands: ScoredBox[];
  if (head?.format === 'centernet') {
    cands = decodeCenterNet({
      heatmap: output(options.outputs, head.heatmap),
      size: output(options.outputs, head.size),
      offset: output(options.outputs, head.offset),
      stride: head.stride,
      sigmoid: head.sigmoid,
      topK: PRE_NMS_TOP_K,
      scoreThreshold: options.scoreThreshold,
      batchIndex: options.batchIndex,
    });
  } else if (head?.format === 'boxes-scores') {
    cands = decodeBoxesScores({
      boxes: output(options.outputs, head.boxes),
      scores: output(options.outputs, head.scores),
      classes: head.classes ? output(options.outputs, head.classes) : undefined,
      boxFormat: head.boxFormat,
      normalized: head.normalized,
      inputWidth: options.inputWidth,
      inputHeight: options.inputHeight,
      scoreThreshold: options.scoreThreshold,
      batchIndex: options.batchIndex,
    });
    if (cands.length > PRE_NMS_TOP_K) cands = cands.sort((a, b) => b.score - a.score).slice(0, PRE_NMS_TOP_K);
  } else if (head?.format === 'torchvision') {
    cands = decodeTorchvision({
      boxes: output(options.outputs, head.boxes),
      labels: output(options.outputs, head.labels),
      scores: output(options.outputs, head.scores),
      scoreThreshold: options.scoreThreshold,
    });
  } else if (head?.format === 'detr') {
    cands = decodeDetr({
      logits: output(options.outputs, head.logits),
      boxes: output(options.outputs, head.boxes),
      inputWidth: options.inputWidth,
      inputHeight: options.inputHeight,
      scoreThreshold: options.scoreThreshold,
      batchIndex: options.batchIndex,
    });
  } else {
    throw new ResNetEdgeError('INVALID_MANIFEST', `Unknown detection head format "${String((head as { format?: unknown })?.format)}".`);
  }
  return nms({
    boxes: cands,
    iouThreshold: options.iouThreshold,
    scoreThreshold: options.scoreThreshold,
    maxDetections: options.maxDetections,
    mode: checkNmsMode(options.nms),
  });
}

/**
 * Attaches labels to candidates and maps their boxes from model-input pixels to the source image (clamped); boxes that
 * end up empty (entirely in letterbox padding) are dropped.
 *
 * @example
 * ```ts
 * const dets = mapDetections({ candidates, labels: manifest.labels, transform });
 * ```
 */
export function mapDetections(o: { candidates: readonly ScoredBox[]; labels: readonly string[]; transform: PreprocessTransform }): Detection[] {
  const dets: Detection[] = [];
  for (const c of o.candidates) {
    const label = o.labels[c.classIndex];
    if (label === undefined) {
      throw new ResNetEdgeError('INFERENCE_FAILED', `Model produced class ${c.classIndex} but the manifest lists ${o.labels.length} labels.`);
    }
    const box = mapBoxToSource(c.box, o.transform);
    if (box.xmax > box.xmin && box.ymax > box.ymin) dets.push({ label, score: c.score, box });
  }
  return dets;
}
