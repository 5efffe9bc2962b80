/** Generic detection head decoding: boxes [N,K,4] + scores [N,K,C] (or [N,K] with classes [N,K]). */
import { ResNetEdgeError } from '../errors.js';
import type { Tensor, TensorData } from '../tensor.js';
import { checkSameDims, checkTensor } from './decode-tensor-check.js';
import type { Box, ScoredBox } from './detect-types.js';
import { checkNumber, checkScoreThreshold } from './detect-limits.js';

export interface DecodeBoxesScoresOptions {
  /** [N, K, 4] box encodings. */
  boxes: Tensor<TensorData>;
  /** [N, K, C] per-class scores, or [N, K] best score when `classes` is given. */
  scores: Tensor<TensorData>;
  /** [N, K] class indices (float or int), used with [N, K] scores. */
  classes?: Tensor<TensorData>;
  /** `xyxy` corners, `xywh` top-left + size, `cxcywh` centre + size. */
  boxFormat: 'xyxy' | 'xywh' | 'cxcywh';
  /** True when coordinates are 0..1 fractions of the model input; they are scaled by inputWidth/inputHeight. */
  normalized: boolean;
  /** Model input size in pixels (needed when `normalized`). */
  inputWidth: number;
  inputHeight: number;
  /** Drop candidates below this score: 0..1 (default 0.05). */
  scoreThreshold?: number;
  /** With [N,K,C] scores, emit one candidate per class above threshold (default false: best class only). */
  multiLabel?: boolean;
  /** Which image of the batch to decode (default 0). */
  batchIndex?: number;
}

/** Converts one encoded box to xyxy model-input pixels. */
function toXyxy(v: ArrayLike<number>, o: number, fmt: DecodeBoxesScoresOptions['boxFormat'], sx: number, sy: number): Box {
  const a = Number(v[o]) * sx;
  const b = Number(v[o + 1]) * sy;
  const c = Number(v[o + 2]) * sx;
  const d = Number(v[o + 3]) * sy;
  if (fmt === 'xyxy') return { xmin: Math.min(a, c), ymin: Math.min(b, d), xmax: Math.max(a, c), ymax: Math.max(b, d) };
  const w = Math.max(0, c);
  const h = Math.max(0, d);
  if (fmt === 'xywh') return { xmin: a, ymin: b, xmax: a + w, ymax: b + h };
  return { xmin: a - w / 2, ymin: b - h / 2, xmax: a + w / 2, ymax: b + h / 2 };
}

/**
 * Decodes a `boxes-scores` head into candidates in model-input pixels (run {@link nms} afterwards).
 * Boxes with non-finite coordinates or scores are skipped.
 *
 * @example
 * ```ts
 * const cands = decodeBoxesScores({ boxes: out.boxes, scores: out.scores, boxFormat: 'cxcywh', normalized: true,
 *   inputWidth: 320, inputHeight: 320, scoreThreshold: 0.25 });
 * ```
 */
export function decodeBoxesScores(options: DecodeBoxesScoresOptions): ScoredBox[] {
  const boxes = checkTensor('boxes', options.boxes, 3);
  const [n, k] = boxes.dims;
  checkSameDims('boxes', boxes.dims, [n, k, 4]);
  const scores = checkTensor('scores', options.scores, options.classes ? 2 : 3);
  checkSameDims('scores', scores.dims, [n, k]);
  const classes = options.classes ? checkTensor('classes', options.classes, 2) : undefined;
  if (classes) checkSameDims('classes', classes.dims, [n, k]);
  if (!['xyxy', 'xywh', 'cxcywh'].includes(options.boxFormat)) {
    throw new ResNetEdgeError('INVALID_ARGUMENT', `Unknown boxFormat "${String(options.boxFormat)}".`);
  }
  if (n === 0) throw new ResNetEdgeError('INFERENCE_FAILED', 'Detection boxes have an empty batch.');
  const threshold = checkScoreThreshold(options.scoreThreshold ?? 0.05);
  const b = checkNumber('batchIndex', options.batchIndex ?? 0, 0, n - 1, true);
  const sx = options.normalized ? checkNumber('inputWidth', options.inputWidth, 1, 1e6) : 1;
  const sy = options.normalized ? checkNumber('inputHeight', options.inputHeight, 1, 1e6) : 1;
  const nc = classes ? 1 : scores.dims[2];

  const out: ScoredBox[] = [];
  const sd = scores.data;
  for (let i = 0; i < k; i++) {
    const box = toXyxy(boxes.data, (b * k + i) * 4, options.boxFormat, sx, sy);
    if (![box.xmin, box.ymin, box.xmax, box.ymax].every(Number.isFinite)) continue;
    const row = (b * k + i) * nc;
    if (classes) {
      const score = Number(sd[row]);
      const cls = Number(classes.data[b * k + i]);
      if (score >= threshold && Number.isInteger(cls) && cls >= 0) out.push({ box, score, classIndex: cls });
      continue;
    }
    if (options.multiLabel) {
      for (let c = 0; c < nc; c++) {
        const score = Number(sd[row + c]);
        if (score >= threshold) out.push({ box: { ...box }, score, classIndex: c });
      }
      continue;
    }
    let best = -1;
    let bestScore = -Infinity;
    for (let c = 0; c < nc; c++) {
      const s = Number(sd[row + c]);
      if (s > bestScore) {
        bestScore = s;
        best = c;
      }
    }
    if (best >= 0 && bestScore >= threshold) out.push({ box, score: bestScore, classIndex: best });
  }
  return out;
}
