/** Detection evaluation: COCO-style per-class 101-point AP, mAP@0.5 and mAP@[.5:.95]; precision/recall at a threshold. */
import { ResNetEdgeError } from '../errors.js';
import type { Box } from './detect-types.js';
import { boxIou } from './nms.js';

export interface EvalPrediction {
  label: string;
  score: number;
  box: Box;
}

export interface EvalGroundTruth {
  label: string;
  box: Box;
}

export interface EvaluateDetectionsOptions {
  /** Per image, the detections (e.g. `model.detect()` results). */
  predictions: readonly (readonly EvalPrediction[])[];
  /** Per image, the true objects; same length and order as `predictions`. */
  groundTruth: readonly (readonly EvalGroundTruth[])[];
  /** IoU thresholds (default COCO's 0.50:0.05:0.95). mAP@0.5 is reported when 0.5 is among them. */
  iouThresholds?: readonly number[];
}

export interface DetectionMetrics {
  /** mAP at IoU 0.5 (NaN when 0.5 was not evaluated or no class has ground truth). */
  map50: number;
  /** mAP averaged over all `iouThresholds` (COCO's AP when the defaults are used). */
  map: number;
  iouThresholds: number[];
  /** Per class with ground truth: AP at each threshold (same order) and the number of true objects. */
  perClass: Record<string, { ap: number[]; gtCount: number }>;
}

const COCO_THRESHOLDS = Array.from({ length: 10 }, (_, i) => Math.round((0.5 + 0.05 * i) * 100) / 100);

/** AP of one class at one IoU threshold, COCO style: greedy matching by score, 101 recall points. */
function classAp(
  preds: { img: number; score: number; box: Box }[],
  gts: Box[][],
  nGt: number,
  thr: number,
): number {
  const used = gts.map((g) => new Uint8Array(g.length));
  const precision = new Float64Array(preds.length);
  const recall = new Float64Array(preds.length);
  let tp = 0;
  preds.forEach((p, i) => {
    // Each detection takes the unmatched true box it overlaps most (at least `thr`), as pycocotools does.
    let best = Math.min(thr, 1 - 1e-10);
    let bestJ = -1;
    const g = gts[p.img];
    for (let j = 0; j < g.length; j++) {
      if (used[p.img][j]) continue;
      const o = boxIou(p.box, g[j]);
      if (o >= best) {
        best = o;
        bestJ = j;
      }
    }
    if (bestJ >= 0) {
      used[p.img][bestJ] = 1;
      tp++;
    }
    precision[i] = tp / (i + 1);
    recall[i] = tp / nGt;
  });
  for (let i = preds.length - 2; i >= 0; i--) precision[i] = Math.max(precision[i], precision[i + 1]);
  let sum = 0;
  let idx = 0;
  for (let r = 0; r <= 100; r++) {
    // r * 0.01 (not r / 100) reproduces np.linspace(0, 1, 101), the recall grid pycocotools searches.
    const target = r * 0.01;
    while (idx < preds.length && recall[idx] < target) idx++;
    if (idx < preds.length) sum += precision[idx];
  }
  return sum / 101;
}

/**
 * Scores detections against ground truth the way COCO does (no crowd/area ranges): per class and IoU threshold,
 * detections across all images sorted by score (ties keep image order), greedy matching, precision envelope,
 * 101-point interpolation; mAP averages over the classes that have ground truth.
 *
 * @example
 * ```ts
 * const m = evaluateDetections({ predictions: [await model.detect(img)], groundTruth: [[{ label: 'Bag', box }]] });
 * console.log(m.map50, m.map);
 * ```
 */
export function evaluateDetections(options: EvaluateDetectionsOptions): DetectionMetrics {
  const { predictions, groundTruth } = options ?? ({} as EvaluateDetectionsOptions);
  if (!Array.isArray(predictions) || !Array.isArray(groundTruth) || predictions.length !== groundTruth.length) {
    throw new ResNetEdgeError('INVALID_ARGUMENT', 'evaluateDetections needs predictions and groundTruth arrays of the same length (one entry per image).');
  }
  const thresholds = [...(options.iouThresholds ?? COCO_THRESHOLDS)];
  if (thresholds.length === 0 || thresholds.some((t) => typeof t !== 'number' || !(t >= 0 && t <= 1))) {
    throw new ResNetEdgeError('INVALID_ARGUMENT', 'iouThresholds must be a non-empty list of numbers in [0, 1].');
  }
  const gtByClass = new Map<string, Box[][]>();
  const gtCount = new Map<string, number>();
  groundTruth.forEach((objs, img) => {
    for (const o of objs) {
      let per = gtByClass.get(o.label);
      if (!per) gtByClass.set(o.label, (per = groundTruth.map(() => [])));
      per[img].push(o.box);
      gtCount.set(o.label, (gtCount.get(o.label) ?? 0) + 1);
    }
  });
  const predByClass = new Map<string, { img: number; score: number; box: Box }[]>();
  predictions.forEach((dets, img) => {
    for (const d of dets) {
      if (!gtByClass.has(d.label) || !Number.isFinite(d.score)) continue;
      let list = predByClass.get(d.label);
      if (!list) predByClass.set(d.label, (list = []));
      list.push({ img, score: d.score, box: d.box });
    }
  });
  const perClass: DetectionMetrics['perClass'] = {};
  for (const [label, gts] of gtByClass) {
    // Array.prototype.sort is stable, so equal scores keep image order (pycocotools uses a stable mergesort).
    const preds = (predByClass.get(label) ?? []).sort((a, b) => b.score - a.score);
    const n = gtCount.get(label) ?? 0;
    perClass[label] = { ap: thresholds.map((t) => classAp(preds, gts, n, t)), gtCount: n };
  }
  const classes = Object.values(perClass);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
  const i50 = thresholds.findIndex((t) => Math.abs(t - 0.5) < 1e-9);
  return {
    map50: i50 >= 0 ? mean(classes.map((c) => c.ap[i50])) : Number.NaN,
    map: mean(thresholds.map((_, ti) => mean(classes.map((c) => c.ap[ti])))),
    iouThresholds: thresholds,
    perClass,
  };
}

export interface PrecisionRecallOptions {
  /** Per image, the detections; only those scoring >= `scoreThreshold` count. */
  predictions: readonly (readonly EvalPrediction[])[];
  /** Per image, the true objects; same length and order as `predictions`. */
  groundTruth: readonly (readonly EvalGroundTruth[])[];
  /** A box must score at least this to count (default 0: all given boxes, e.g. detect() output at its threshold). */
  scoreThreshold?: number;
  /** IoU a box needs with a true object of its label to match it (default 0.5). */
  iouThreshold?: number;
}

export interface PrecisionRecall {
  /** Matched boxes / boxes (1 when there are no boxes). */
  precision: number;
  /** Matched objects / objects (1 when there are no objects). */
  recall: number;
  /** Boxes / objects: 1 is one box per object; duplicates push it above 1, misses below. */
  boxesPerObject: number;
  boxes: number;
  objects: number;
  matched: number;
}

/**
 * What a user sees at one threshold: precision, recall and boxes per object. Within each image, boxes are matched by
 * score (best first) to the unmatched true object of the same label they overlap most, with IoU >= `iouThreshold`;
 * a second box on an already matched object is a false positive.
 *
 * @example
 * ```ts
 * const pr = precisionRecall({ predictions: [await model.detect(img)], groundTruth: [[{ label: 'Bag', box }]] });
 * console.log(pr.precision, pr.recall, pr.boxesPerObject);
 * ```
 */
export function precisionRecall(options: PrecisionRecallOptions): PrecisionRecall {
  const { predictions, groundTruth } = options ?? ({} as PrecisionRecallOptions);
  if (!Array.isArray(predictions) || !Array.isArray(groundTruth) || predictions.length !== groundTruth.length) {
    throw new ResNetEdgeError('INVALID_ARGUMENT', 'precisionRecall needs predictions and groundTruth arrays of the same length (one entry per image).');
  }
  const scoreThreshold = options.scoreThreshold ?? 0;
  const iouThreshold = options.iouThreshold ?? 0.5;
  if (typeof iouThreshold !== 'number' || !(iouThreshold >= 0 && iouThreshold <= 1) || typeof scoreThreshold !== 'number' || Number.isNaN(scoreThreshold)) {
    throw new ResNetEdgeError('INVALID_ARGUMENT', 'precisionRecall: iouThreshold must be in [0, 1] and scoreThreshold a number.');
  }
  let boxes = 0;
  let objects = 0;
  let matched = 0;
  predictions.forEach((dets, img) => {
    const gts: readonly EvalGroundTruth[] = groundTruth[img];
    const used = new Uint8Array(gts.length);
    objects += gts.length;
    const kept = (dets as readonly EvalPrediction[]).filter((d) => d.score >= scoreThreshold).sort((a, b) => b.score - a.score);
    for (const d of kept) {
      boxes++;
      let best = Math.min(iouThreshold, 1 - 1e-10);
      let bestJ = -1;
      for (let j = 0; j < gts.length; j++) {
        if (used[j] || gts[j].label !== d.label) continue;
        const o = boxIou(d.box, gts[j].box);
        if (o >= best) {
          best = o;
          bestJ = j;
        }
      }
      if (bestJ >= 0) {
        used[bestJ] = 1;
        matched++;
      }
    }
  });
  return {
    precision: boxes ? matched / boxes : 1,
    recall: objects ? matched / objects : 1,
    boxesPerObject: objects ? boxes / objects : 0,
    boxes,
    objects,
    matched,
  };
}
