/** torchvision detection exports: boxes [K,4] xyxy + labels [K] + scores [K], already suppressed inside the graph. */
import type { Tensor, TensorData } from '../tensor.js';
import { checkSameDims, checkTensor } from './decode-tensor-check.js';
import type { ScoredBox } from './detect-types.js';
import { checkScoreThreshold } from './detect-limits.js';

export interface DecodeTorchvisionOptions {
  /** [K, 4] xmin, ymin, xmax, ymax in model-input pixels (a leading batch axis of 1 is accepted). */
  boxes: Tensor<TensorData>;
  /** [K] class indices (int64 from the graph, delivered as numbers). */
  labels: Tensor<TensorData>;
  /** [K] scores. */
  scores: Tensor<TensorData>;
  /** Drop candidates below this score: 0..1 (default 0). */
  scoreThreshold?: number;
}

/** Drops a leading batch axis of size 1 ([1,K,4] -> [K,4]); ONNX exporters differ on whether it is there. */
function unbatched(t: Tensor<TensorData>, rank: number): Tensor<TensorData> {
  return t?.dims?.length === rank + 1 && t.dims[0] === 1 ? { data: t.data, dims: t.dims.slice(1) } : t;
}

/**
 * Decodes a torchvision head into candidates in model-input pixels. Boxes with non-finite coordinates, negative or
 * non-integer labels are skipped (the caller maps labels to names and reports ids past the label list).
 *
 * @example
 * ```ts
 * const cands = decodeTorchvision({ boxes: out.boxes, labels: out.labels, scores: out.scores, scoreThreshold: 0.5 });
 * ```
 */
export function decodeTorchvision(o: DecodeTorchvisionOptions): ScoredBox[] {
  const boxes = checkTensor('boxes', unbatched(o.boxes, 2), 2);
  const [k] = boxes.dims;
  checkSameDims('boxes', boxes.dims, [k, 4]);
  const labels = checkTensor('labels', unbatched(o.labels, 1), 1);
  const scores = checkTensor('scores', unbatched(o.scores, 1), 1);
  checkSameDims('labels', labels.dims, [k]);
  checkSameDims('scores', scores.dims, [k]);
  const threshold = checkScoreThreshold(o.scoreThreshold ?? 0);
  const out: ScoredBox[] = [];
  for (let i = 0; i < k; i++) {
    const score = Number(scores.data[i]);
    const cls = Number(labels.data[i]);
    if (!(score >= threshold) || !Number.isInteger(cls) || cls < 0) continue;
    const [x0, y0, x1, y1] = [0, 1, 2, 3].map((j) => Number(boxes.data[i * 4 + j]));
    if (![x0, y0, x1, y1].every(Number.isFinite)) continue;
    out.push({ box: { xmin: Math.min(x0, x1), ymin: Math.min(y0, y1), xmax: Math.max(x0, x1), ymax: Math.max(y0, y1) }, score, classIndex: cls });
  }
  return out;
}
