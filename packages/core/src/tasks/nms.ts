/** Greedy non-maximum suppression (per class or across classes) and box IoU. */
import { ResNetEdgeError } from '../errors.js';
import type { NmsMode } from '../package/manifest-types.js';
import type { Box, ScoredBox } from './detect-types.js';
import { checkIouThreshold, checkMaxDetections, checkNmsMode, checkScoreThreshold } from './detect-limits.js';

export type { NmsMode } from '../package/manifest-types.js';

/**
 * Intersection over union of two xyxy boxes; 0 when either box is empty or they do not overlap.
 *
 * @example
 * ```ts
 * boxIou({ xmin: 0, ymin: 0, xmax: 2, ymax: 2 }, { xmin: 1, ymin: 0, xmax: 3, ymax: 2 }); // 1/3
 * ```
 */
export function boxIou(a: Box, b: Box): number {
  if (!a || !b) throw new ResNetEdgeError('INVALID_ARGUMENT', 'boxIou takes two boxes { xmin, ymin, xmax, ymax }.');
  return iou(a, b);
}

/** IoU without the argument check: nms() validates every box once, then calls this O(n^2) times. */
function iou(a: Box, b: Box): number {
  const iw = Math.min(a.xmax, b.xmax) - Math.max(a.xmin, b.xmin);
  const ih = Math.min(a.ymax, b.ymax) - Math.max(a.ymin, b.ymin);
  if (!(iw > 0 && ih > 0)) return 0;
  const inter = iw * ih;
  const union = (a.xmax - a.xmin) * (a.ymax - a.ymin) + (b.xmax - b.xmin) * (b.ymax - b.ymin) - inter;
  return union > 0 ? inter / union : 0;
}

const isBox = (b: unknown): b is Box =>
  !!b && typeof b === 'object' && ['xmin', 'ymin', 'xmax', 'ymax'].every((k) => typeof (b as Record<string, unknown>)[k] === 'number');

export interface NmsOptions {
  boxes: readonly ScoredBox[];
/** A box is dropped when its IoU with a kept, higher-scoring box (of the same class for `per-class`) is above this. 0..1. */
  iouThreshold: number;
  /** Boxes scoring below this are dropped first: 0..1 (default 0). */
  scoreThreshold?: number;
  /** At most this many boxes are kept (default 100). */
  maxDetections?: number;
  /** `per-class` (default) suppresses only within a class; `class-agnostic` across classes (one box per object). */
  mode?: NmsMode;
}

/**
 * Greedy NMS: sorts by score (ties keep input order), keeps a box unless it overlaps a kept box with IoU >
 * `iouThreshold`; with `mode: 'per-class'` only kept boxes of its own class count, with `'class-agnostic'` any class.
 * Returns kept boxes, best first. Cost is O(n log n + n * maxDetections), so a huge candidate list cannot hang it.
 *
 * @example
 * ```ts
 * const kept = nms({ boxes: candidates, iouThreshold: 0.5, scoreThreshold: 0.3, maxDetections: 50, mode: 'class-agnostic' });
 * ```
 */
export function nms(options: NmsOptions): ScoredBox[] {
  const { boxes } = options;
  if (!Array.isArray(boxes)) throw new ResNetEdgeError('INVALID_ARGUMENT', 'nms: boxes must be an array.');
  const iouThreshold = checkIouThreshold(options.iouThreshold);
  const scoreThreshold = checkScoreThreshold(options.scoreThreshold ?? 0);
  const maxDetections = checkMaxDetections(options.maxDetections ?? 100);
  const perClass = checkNmsMode(options.mode ?? 'per-class') === 'per-class';

  const order: number[] = [];
  for (let i = 0; i < boxes.length; i++) {
    const s = boxes[i]?.score;
    if (typeof s !== 'number' || !(s >= scoreThreshold)) continue;
    if (!isBox(boxes[i].box)) throw new ResNetEdgeError('INVALID_ARGUMENT', `nms: boxes[${i}].box must be { xmin, ymin, xmax, ymax } numbers.`, { details: { index: i } });
    order.push(i);
  }
  order.sort((a, b) => boxes[b].score - boxes[a].score || a - b);

  const kept: ScoredBox[] = [];
  for (const i of order) {
    if (kept.length >= maxDetections) break;
    const cand = boxes[i];
    let suppressed = false;
    for (const k of kept) {
      if (perClass && k.classIndex !== cand.classIndex) continue;
      if (iou(k.box, cand.box) > iouThreshold) {
        suppressed = true;
        break;
      }
    }
    if (!suppressed) kept.push(cand);
  }
  return kept;
}
