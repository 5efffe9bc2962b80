/**
 * Two-stage detection: a classifier re-labels each detected box from a crop of the detector's input (R-CNN's second
 * stage). The crop is defined once, here; models/train/crop_data.py mirrors it for training, so both must change
 * together.
 */
import { ResNetEdgeError } from '../errors.js';
import type { RefineSpec } from '../package/manifest-types.js';
import type { Tensor, TensorData } from '../tensor.js';
import type { ScoredBox } from './detect-types.js';
import { softmax } from './softmax.js';

/** The crop settings of a {@link RefineSpec}. */
export type CropSpec = Pick<RefineSpec, 'size' | 'context' | 'minSide' | 'eps'>;

/**
 * Crops each box (model-input pixels) from a float NCHW image tensor (image 0) into `[K, C, size, size]`: a square
 * window centred on the box, side `max(w, h, minSide) * context`, each output pixel the mean of 2 x 2 edge-clamped
 * bilinear samples, then standardised per crop, `(v - mean) / (std + eps)`, so the background level and the item's
 * contrast do not reach the classifier.
 *
 * @example
 * ```ts
 * const crops = cropBoxes({ image: prepared.tensor, boxes: [{ xmin: 4, ymin: 8, xmax: 30, ymax: 40 }], spec });
 * ```
 */
export function cropBoxes(o: { image: Tensor<TensorData>; boxes: readonly ScoredBox['box'][]; spec: CropSpec }): Tensor<Float32Array> {
  const [, c, h, w] = o.image.dims;
  const src = o.image.data as Float32Array;
  const { size: r, context, minSide, eps } = o.spec;
  const k = o.boxes.length;
  const out = new Float32Array(k * c * r * r);
  const plane = r * r;
  const acc = new Float64Array(c * plane);
  // Sample offsets within an output pixel, and the clamped source coordinates of each output row/column.
  const sub = [0.25, 0.75];
  const ys = new Float64Array(2 * r);
  const xs = new Float64Array(2 * r);
  for (let b = 0; b < k; b++) {
    const box = o.boxes[b];
    const side = Math.max(box.xmax - box.xmin, box.ymax - box.ymin, minSide) * context;
    const cx = (box.xmin + box.xmax) / 2;
    const cy = (box.ymin + box.ymax) / 2;
    const step = side / r;
    for (let i = 0; i < r; i++) {
      for (let a = 0; a < 2; a++) {
        ys[2 * i + a] = clamp(cy - side / 2 + (i + sub[a]) * step - 0.5, 0, h - 1);
        xs[2 * i + a] = clamp(cx - side / 2 + (i + sub[a]) * step - 0.5, 0, w - 1);
      }
    }
    acc.fill(0);
    for (let ch = 0; ch < c; ch++) {
      const base = ch * h * w;
      for (let i = 0; i < r; i++) {
        for (let ay = 0; ay < 2; ay++) {
          const sy = ys[2 * i + ay];
          const y0 = Math.floor(sy);
          const fy = sy - y0;
          const y1 = Math.min(y0 + 1, h - 1);
          for (let j = 0; j < r; j++) {
            for (let ax = 0; ax < 2; ax++) {
              const sx = xs[2 * j + ax];
              const x0 = Math.floor(sx);
              const fx = sx - x0;
              const x1 = Math.min(x0 + 1, w - 1);
              const p = src[base + y0 * w + x0];
              const q = src[base + y0 * w + x1];
              const s = src[base + y1 * w + x0];
              const t = src[base + y1 * w + x1];
              const top = p + (q - p) * fx;
              const bot = s + (t - s) * fx;
              acc[ch * plane + i * r + j] += top + (bot - top) * fy;
            }
          }
        }
      }
    }
    let mean = 0;
    for (let i = 0; i < acc.length; i++) mean += (acc[i] *= 0.25);
    mean /= acc.length;
    let varSum = 0;
    for (let i = 0; i < acc.length; i++) varSum += (acc[i] - mean) ** 2;
    const inv = 1 / (Math.sqrt(varSum / acc.length) + eps);
    const off = b * c * plane;
    for (let i = 0; i < acc.length; i++) out[off + i] = (acc[i] - mean) * inv;
  }
  return { data: out, dims: [k, c, r, r] };
}

/**
 * One box's class probabilities in the second stage: the classifier's softmax, and with `detectorWeight` a > 0 and
 * the detector's per-class scores h, `p_j * (h_j / sum h)^a` renormalised.
 *
 * @example
 * ```ts
 * const p = classProbabilities({ logits: row, classScores: candidate.classScores, detectorWeight: 0.5 });
 * ```
 */
export function classProbabilities(o: { logits: ArrayLike<number>; classScores?: ArrayLike<number>; detectorWeight?: number }): Float32Array {
  const p = softmax(o.logits);
  const h = o.classScores;
  const a = o.detectorWeight ?? 0;
  if (a > 0 && h && h.length === p.length) combine(p, h, a);
  return p;
}

/** p_j <- p_j * (h_j / sum h)^a, renormalised (in place); left as is when the detector gives nothing to weigh. */
function combine(p: Float32Array, h: ArrayLike<number>, a: number): void {
  let hs = 0;
  for (let j = 0; j < h.length; j++) hs += Math.max(h[j], 0);
  if (!(hs > 0)) return;
  let sum = 0;
  for (let j = 0; j < p.length; j++) sum += (p[j] *= (Math.max(h[j], 0) / hs) ** a);
  if (!(sum > 0)) return;
  for (let j = 0; j < p.length; j++) p[j] /= sum;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * Re-labels detector candidates with the second-stage classifier's logits (`[K, classes]`, row i for candidate i):
 * the label becomes the best class and the score the detector's confidence times that class's probability, so a box
 * the classifier is unsure about ranks lower. With `detectorWeight` a > 0, candidates that carry the detector's
 * per-class scores h combine both: `p_j * (h_j / sum h)^a`, renormalised. Boxes below `scoreThreshold` are dropped.
 *
 * @example
 * ```ts
 * const relabelled = relabel({ candidates, logits: out.logits, numClasses: 10, scoreThreshold: 0.3 });
 * ```
 */
export function relabel(o: {
  candidates: readonly ScoredBox[];
  logits: Tensor<TensorData>;
  numClasses: number;
  scoreThreshold: number;
  detectorWeight?: number;
}): ScoredBox[] {
  const k = o.candidates.length;
  const n = o.numClasses;
  if (o.logits.data.length !== k * n) {
    throw new ResNetEdgeError('INFERENCE_FAILED', `The refine model returned ${o.logits.data.length} values for ${k} boxes of ${n} classes.`, {
      details: { dims: o.logits.dims },
    });
  }
  const out: ScoredBox[] = [];
  for (let i = 0; i < k; i++) {
    const p = classProbabilities({
      logits: (o.logits.data as Float32Array).subarray(i * n, (i + 1) * n),
      classScores: o.candidates[i].classScores,
      detectorWeight: o.detectorWeight,
    });
    let best = 0;
    for (let j = 1; j < n; j++) if (p[j] > p[best]) best = j;
    const score = o.candidates[i].score * p[best];
    if (score >= o.scoreThreshold) out.push({ box: o.candidates[i].box, score, classIndex: best });
  }
  return out.sort((a, b) => b.score - a.score);
}
