/**
 * Streaming activation statistics: exact min/max plus a symmetric histogram over [-R, R] whose range
 * doubles (merging bin pairs) when new data falls outside, so any number of batches fits in fixed memory.
 * From it the calibration methods pick a clipping range: min-max, percentile, or minimum expected
 * quantization MSE.
 */

/** Calibration methods for activation ranges. */
export type CalibrationMethod = 'minmax' | 'percentile' | 'mse' | 'entropy';

/** Every supported method, for argument validation. */
export const CALIBRATION_METHODS: readonly CalibrationMethod[] = ['minmax', 'percentile', 'mse', 'entropy'];

const BINS = 4096; // even, so a doubling merges bin pairs exactly

/** Running statistics of one tensor. @example `const h = new TensorHistogram(); h.add(batch); h.quantile(0.999)` */
export class TensorHistogram {
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  count = 0;
  /** Exact zeros seen (ReLU outputs are often half zeros; entropy calibration must not weigh that spike). */
  zeros = 0;
  /** Half-width of the histogram range; 0 until a non-zero value was seen. */
  range = 0;
  /** Zeros seen before the range was known. */
  private pendingZeros = 0;
  readonly bins = new Float64Array(BINS);

  /** Adds a batch of values. Non-finite values are ignored (they would poison every range). */
  add(data: Float32Array): void {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return this.addFiltered(data);
    this.min = Math.min(this.min, lo);
    this.max = Math.max(this.max, hi);
    const absMax = Math.max(-lo, hi);
    if (absMax === 0) {
      if (this.range === 0) this.pendingZeros += data.length;
      else this.bins[BINS / 2] += data.length;
      this.count += data.length;
      this.zeros += data.length;
      return;
    }
    if (this.range === 0) {
      this.range = absMax;
      this.bins[BINS / 2] += this.pendingZeros;
    }
    while (absMax > this.range) this.double();
    const k = BINS / (2 * this.range);
    const last = BINS - 1;
    let zeros = 0;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v === 0) zeros++;
      const b = Math.floor((v + this.range) * k);
      this.bins[b > last ? last : b]++;
    }
    this.zeros += zeros;
    this.count += data.length;
  }

  private addFiltered(data: Float32Array): void {
    const finite = data.filter(Number.isFinite);
    if (finite.length) this.add(finite);
  }

  /** Doubles the range: new bin j collects old bins 2j-N/2 and 2j-N/2+1. */
  private double(): void {
    const old = this.bins.slice();
    this.bins.fill(0);
    for (let j = 0; j < BINS; j++) this.bins[(j + BINS / 2) >> 1] += old[j];
    this.range *= 2;
  }

  /** Lower edge of bin `b`. */
  edge(b: number): number {
    return -this.range + (b * 2 * this.range) / BINS;
  }

  /** The value below which `q` (0..1) of the samples lie, clamped to the exact min/max. */
  quantile(q: number): number {
    if (this.range === 0) return 0;
    const target = q * this.count;
    let cum = 0;
    for (let b = 0; b < BINS; b++) {
      cum += this.bins[b];
      if (cum >= target) {
        const v = q < 0.5 ? this.edge(b) : this.edge(b + 1);
        return Math.min(this.max, Math.max(this.min, v));
      }
    }
    return this.max;
  }
}

/** A chosen real range for one tensor. */
export interface RealRange {
  min: number;
  max: number;
}

/**
 * Picks the clipping range for uint8 asymmetric quantization: `minmax` (observed range), `percentile`
 * (drops the outer (100-p)% on each side), `mse` (least expected squared error) or `entropy` (TensorRT's
 * KL-divergence threshold on |x|).
 *
 * @example
 * ```ts
 * const r = chooseRange(hist, 'percentile', 99.99);
 * ```
 */
export function chooseRange(h: TensorHistogram, method: CalibrationMethod, percentile = 99.99): RealRange {
  if (h.count === 0) return { min: 0, max: 0 };
  if (method === 'minmax') return { min: h.min, max: h.max };
  if (method === 'percentile') {
    const p = percentile / 100;
    return { min: Math.min(h.quantile(1 - p), 0), max: Math.max(h.quantile(p), 0) };
  }
  return method === 'entropy' ? entropyRange(h) : mseRange(h);
}

/**
 * KL(P || Q): P is |x|'s histogram clipped to `n` bins (clipped mass added to the last bin), Q is the
 * unclipped first `n` bins merged into `levels` levels and spread back evenly over their non-empty bins.
 */
function klAfterQuantizing(abs: Float64Array, n: number, levels: number): number {
  const p = abs.slice(0, n);
  for (let i = n; i < abs.length; i++) p[n - 1] += abs[i];
  const q = new Float64Array(n);
  const per = n / levels;
  for (let l = 0; l < levels; l++) {
    const a = Math.floor(l * per);
    const b = l === levels - 1 ? n : Math.floor((l + 1) * per);
    let sum = 0;
    let nonzero = 0;
    for (let i = a; i < b; i++) {
      sum += abs[i];
      if (abs[i] > 0) nonzero++;
    }
    for (let i = a; i < b; i++) if (abs[i] > 0) q[i] = sum / nonzero;
  }
  let pt = 0;
  let qt = 0;
  for (let i = 0; i < n; i++) {
    pt += p[i];
    qt += q[i];
  }
  if (pt === 0 || qt === 0) return Number.POSITIVE_INFINITY;
  let kl = 0;
  for (let i = 0; i < n; i++) {
    if (p[i] === 0) continue;
    const pi = p[i] / pt;
    // Smoothing: a bin with clipped mass but no unclipped mass would otherwise make KL infinite.
    const qi = Math.max(q[i] / qt, 1e-4 / n);
    kl += pi * Math.log(pi / qi);
  }
  return kl;
}

/** TensorRT-style entropy calibration on the histogram of |x|: the threshold that loses least information. */
function entropyRange(h: TensorHistogram): RealRange {
  const half = BINS / 2;
  const abs = new Float64Array(half);
  for (let i = 0; i < half; i++) abs[i] = h.bins[half + i] + h.bins[half - 1 - i];
  // Exact zeros are represented exactly whatever the threshold; leaving them in makes KL favour tiny ranges.
  abs[0] = Math.max(0, abs[0] - h.zeros);
  // Non-negative tensors (ReLU outputs) get all 256 uint8 levels on [0, t]; signed ones about half each side.
  const levels = h.min >= 0 ? 256 : 128;
  let last = half;
  while (last > levels && abs[last - 1] === 0) last--;
  let bestN = last;
  let bestKl = Number.POSITIVE_INFINITY;
  for (let n = levels; n <= last; n += 8) {
    const kl = klAfterQuantizing(abs, n, levels);
    if (kl < bestKl) {
      bestKl = kl;
      bestN = n;
    }
  }
  const t = (bestN * h.range) / half;
  return { min: Math.max(h.min, -t), max: Math.min(h.max, t) };
}

/**
 * Range minimising expected squared error: clipping error outside [a, b] plus uniform rounding noise
 * (step^2/12) inside, with a and b shrunk together from the observed min/max.
 */
function mseRange(h: TensorHistogram): RealRange {
  const lo0 = Math.min(h.min, 0);
  const hi0 = Math.max(h.max, 0);
  if (hi0 - lo0 <= 0) return { min: 0, max: 0 };
  const centers = new Float64Array(BINS);
  for (let b = 0; b < BINS; b++) centers[b] = h.edge(b) + h.range / BINS;
  let best = { min: lo0, max: hi0 };
  let bestErr = Number.POSITIVE_INFINITY;
  for (let k = 200; k >= 10; k--) {
    const f = k / 200;
    const a = lo0 * f;
    const b = hi0 * f;
    const step = (b - a) / 255;
    const noise = (step * step) / 12;
    let err = 0;
    for (let i = 0; i < BINS; i++) {
      const c = h.bins[i];
      if (c === 0) continue;
      const x = centers[i];
      err += c * (x < a ? (x - a) ** 2 : x > b ? (x - b) ** 2 : noise);
    }
    if (err < bestErr) {
      bestErr = err;
      best = { min: a, max: b };
    }
  }
  return best;
}
