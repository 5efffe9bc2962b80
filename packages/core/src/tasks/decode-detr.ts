/**
 * DETR heads (`DetrForObjectDetection`): per query, softmax over C classes + "no object"; the score is the best real
 * class's probability and the box a normalized cx,cy,w,h of the model input. Matches transformers'
 * `post_process_object_detection` (no NMS: each object has one query).
 */
import { ResNetEdgeError } from '../errors.js';
import type { Tensor, TensorData } from '../tensor.js';
import { checkSameDims, checkTensor } from './decode-tensor-check.js';
import type { ScoredBox } from './detect-types.js';
import { checkNumber, checkScoreThreshold } from './detect-limits.js';

export interface DecodeDetrOptions {
  /** [N, Q, C + 1] class logits; the last class is "no object". */
  logits: Tensor<TensorData>;
  /** [N, Q, 4] normalized cx, cy, w, h. */
  boxes: Tensor<TensorData>;
  /** Model input size in pixels (boxes are scaled by it). */
  inputWidth: number;
  inputHeight: number;
  /** Drop queries whose best class scores below this: 0..1 (default 0). */
  scoreThreshold?: number;
  /** Which image of the batch (default 0). */
  batchIndex?: number;
}

/**
 * Decodes a DETR head into candidates in model-input pixels.
 *
 * @example
 * ```ts
 * const cands = decodeDetr({ logits: out.logits, boxes: out.pred_boxes, inputWidth: 800, inputHeight: 800, scoreThreshold: 0.7 });
 * ```
 */
export function decodeDetr(o: DecodeDetrOptions): ScoredBox[] {
  const logits = checkTensor('logits', o.logits, 3);
  const [n, q, c1] = logits.dims;
  if (c1 < 2) throw new ResNetEdgeError('INFERENCE_FAILED', `DETR logits need at least one class plus "no object"; got ${c1} values per query.`);
  const boxes = checkTensor('boxes', o.boxes, 3);
  checkSameDims('boxes', boxes.dims, [n, q, 4]);
  if (n === 0) throw new ResNetEdgeError('INFERENCE_FAILED', 'Detection logits have an empty batch.');
  const b = checkNumber('batchIndex', o.batchIndex ?? 0, 0, n - 1, true);
  const threshold = checkScoreThreshold(o.scoreThreshold ?? 0);
  const W = checkNumber('inputWidth', o.inputWidth, 1, 1e6);
  const H = checkNumber('inputHeight', o.inputHeight, 1, 1e6);
  const out: ScoredBox[] = [];
  for (let i = 0; i < q; i++) {
    const row = (b * q + i) * c1;
    let max = -Infinity;
    for (let c = 0; c < c1; c++) max = Math.max(max, Number(logits.data[row + c]));
    if (!Number.isFinite(max)) continue;
    let sum = 0;
    let best = -1;
    let bestExp = -1;
    for (let c = 0; c < c1; c++) {
      const e = Math.exp(Number(logits.data[row + c]) - max);
      sum += e;
      if (c < c1 - 1 && e > bestExp) {
        bestExp = e;
        best = c;
      }
    }
    const score = bestExp / sum;
    if (!(score >= threshold)) continue;
    const o4 = (b * q + i) * 4;
    const [cx, cy, w, h] = [0, 1, 2, 3].map((j) => Number(boxes.data[o4 + j]));
    if (![cx, cy, w, h].every(Number.isFinite)) continue;
    out.push({ box: { xmin: (cx - w / 2) * W, ymin: (cy - h / 2) * H, xmax: (cx + w / 2) * W, ymax: (cy + h / 2) * H }, score, classIndex: best });
  }
  return out;
}
