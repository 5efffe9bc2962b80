/** CenterNet (Objects as Points) decoding: heatmap peaks -> boxes in model-input pixels. */
import { ResNetEdgeError } from '../errors.js';
import type { Tensor, TensorData } from '../tensor.js';
import { checkSameDims, checkTensor } from './decode-tensor-check.js';
import type { ScoredBox } from './detect-types.js';
import { checkNumber, checkScoreThreshold } from './detect-limits.js';

export interface DecodeCenterNetOptions {
  /** [N, C, h, w] class heatmaps (probabilities, or logits when `sigmoid` is false). */
  heatmap: Tensor<TensorData>;
  /** [N, 2, h, w] box width and height in model-input pixels. */
  size: Tensor<TensorData>;
  /** [N, 2, h, w] sub-cell centre offset (x, y) in output cells. */
  offset: Tensor<TensorData>;
  /** Output stride in model-input pixels (e.g. 4). */
  stride: number;
  /** True when `heatmap` already went through a sigmoid (default true); false applies it here. */
  sigmoid?: boolean;
  /** Keep at most this many peaks, best first (default 100). */
  topK?: number;
  /** Drop peaks whose probability is below this: 0..1 (default 0.05). */
  scoreThreshold?: number;
  /** Which image of the batch to decode (default 0). */
  batchIndex?: number;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * Extracts CenterNet detections: a heatmap cell is a peak when it equals the max of its 3x3 neighbourhood (the
 * paper's 3x3 max-pool NMS; plateaus keep every tied cell, so run {@link nms} afterwards), scores >= threshold,
 * top-K by score (ties: lower class, then raster order). Box centre = (cell + offset) * stride, size from `size`.
 *
 * @example
 * ```ts
 * const cands = decodeCenterNet({ heatmap: out.heatmap, size: out.size, offset: out.offset, stride: 4, topK: 100 });
 * const kept = nms({ boxes: cands, iouThreshold: 0.5 });
 * ```
 */
export function decodeCenterNet(options: DecodeCenterNetOptions): ScoredBox[] {
  const heat = checkTensor('heatmap', options.heatmap, 4);
  const size = checkTensor('size', options.size, 4);
  const off = checkTensor('offset', options.offset, 4);
  const [n, c, h, w] = heat.dims;
  checkSameDims('size', size.dims, [n, 2, h, w]);
  checkSameDims('offset', off.dims, [n, 2, h, w]);
  const stride = checkNumber('stride', options.stride, Number.MIN_VALUE, 1e6);
  const topK = checkNumber('topK', options.topK ?? 100, 0, 1e6, true);
  const threshold = checkScoreThreshold(options.scoreThreshold ?? 0.05);
  const b = checkNumber('batchIndex', options.batchIndex ?? 0, 0, Math.max(0, n - 1), true);
  if (n === 0) throw new ResNetEdgeError('INFERENCE_FAILED', 'Detection heatmap has an empty batch.');
  const applySigmoid = options.sigmoid === false;

  const hd = heat.data;
  const plane = h * w;
  const peaks: { score: number; cls: number; pos: number }[] = [];
  for (let k = 0; k < c; k++) {
    const base = (b * c + k) * plane;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = hd[base + y * w + x];
        if (Number.isNaN(v)) continue;
        const score = applySigmoid ? sigmoid(v) : v;
        if (score < threshold) continue;
        let isPeak = true;
        for (let dy = -1; dy <= 1 && isPeak; dy++) {
          const yy = y + dy;
          if (yy < 0 || yy >= h) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            if (xx < 0 || xx >= w) continue;
            if (hd[base + yy * w + xx] > v) {
              isPeak = false;
              break;
            }
          }
        }
        if (isPeak) peaks.push({ score, cls: k, pos: y * w + x });
      }
    }
  }
  peaks.sort((p, q) => q.score - p.score || p.cls - q.cls || p.pos - q.pos);
  if (peaks.length > topK) peaks.length = topK;

  const sd = size.data;
  const od = off.data;
  const sBase = b * 2 * plane;
  const hBase = b * c * plane;
  return peaks.map(({ score, cls, pos }) => {
    // Every class's confidence at the peak: a second stage can weigh the detector's opinion of each class.
    const classScores = new Float32Array(c);
    for (let k = 0; k < c; k++) {
      const v = Number(hd[hBase + k * plane + pos]);
      classScores[k] = applySigmoid ? sigmoid(v) : v;
    }
    const x = pos % w;
    const y = (pos - x) / w;
    const cx = (x + Number(od[sBase + pos])) * stride;
    const cy = (y + Number(od[sBase + plane + pos])) * stride;
    // Negative sizes can come out of a regression head; treat them as empty rather than flipping the box.
    const bw = Math.max(0, Number(sd[sBase + pos])) / 2;
    const bh = Math.max(0, Number(sd[sBase + plane + pos])) / 2;
    return { box: { xmin: cx - bw, ymin: cy - bh, xmax: cx + bw, ymax: cy + bh }, score, classIndex: cls, classScores };
  });
}
