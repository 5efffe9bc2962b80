import { describe, expect, it } from 'vitest';
import { TensorHistogram, chooseRange } from './histogram.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) + 0.5) / 2 ** 32;
}
const gauss = (r: () => number) => Math.sqrt(-2 * Math.log(r())) * Math.cos(2 * Math.PI * r());

/** The ceil(q*n)-th smallest element: the one a cumulative count >= q*n lands on. */
function exactQuantile(sorted: Float32Array, q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

describe('calibration histogram', () => {
  it('tracks exact min/max and percentiles across batches whose range keeps growing', () => {
    const r = lcg(7);
    const h = new TensorHistogram();
    const all: number[] = [];
    // Batches with increasing spread force several range doublings (bin merges).
    for (let b = 0; b < 8; b++) {
      const batch = Float32Array.from({ length: 5000 }, () => gauss(r) * (0.01 * 4 ** b));
      h.add(batch);
      all.push(...batch);
    }
    const sorted = Float32Array.from(all).sort();
    expect(h.min).toBe(sorted[0]);
    expect(h.max).toBe(sorted[sorted.length - 1]);
    expect(h.count).toBe(all.length);
    const binWidth = (2 * h.range) / 4096;
    for (const q of [0.001, 0.01, 0.5, 0.99, 0.999]) expect(Math.abs(h.quantile(q) - exactQuantile(sorted, q))).toBeLessThanOrEqual(binWidth * 1.01);
    // Far tails are sparse, so compare with the element the histogram actually targets (the ceil(q*n)-th).
    expect(Math.abs(h.quantile(0.0001) - sorted[Math.ceil(0.0001 * sorted.length) - 1])).toBeLessThanOrEqual(binWidth * 1.01);
  });

  it('minmax, percentile and mse ranges: clipping shrinks heavy tails, zero stays inside', () => {
    const r = lcg(3);
    const h = new TensorHistogram();
    // ReLU-like data: half zeros, exponential tail, a few huge outliers.
    const data = Float32Array.from({ length: 100_000 }, (_, i) => (i % 2 ? 0 : -Math.log(r())));
    data[10] = 80;
    data[20] = 60;
    h.add(data);
    const mm = chooseRange(h, 'minmax');
    const pc = chooseRange(h, 'percentile', 99.9);
    const mse = chooseRange(h, 'mse');
    expect(mm).toEqual({ min: 0, max: 80 });
    expect(pc.min).toBe(0);
    // 99.9th percentile of a half-zero Exp(1) mix is -ln(0.002) ~ 6.2.
    expect(pc.max).toBeGreaterThan(5.5);
    expect(pc.max).toBeLessThan(7);
    expect(mse.min).toBe(0);
    // Squared error weighs the two outliers heavily, so MSE clips only a little (unlike the percentile).
    expect(mse.max).toBeLessThan(mm.max * 0.95);
    expect(mse.max).toBeGreaterThan(pc.max);
  });

  it('entropy clips long tails of ReLU-like and signed data', () => {
    const r = lcg(5);
    const relu = new TensorHistogram();
    relu.add(Float32Array.from({ length: 200_000 }, (_, i) => (i % 2 ? 0 : -Math.log(r()))));
    const e = chooseRange(relu, 'entropy');
    expect(e.min).toBe(0);
    expect(e.max).toBeLessThan(relu.max);
    expect(e.max).toBeGreaterThan(2);
    const signed = new TensorHistogram();
    signed.add(Float32Array.from({ length: 200_000 }, () => gauss(r) ** 3));
    const s = chooseRange(signed, 'entropy');
    expect(s.min).toBeLessThan(0);
    expect(s.max).toBeGreaterThan(0);
    expect(s.max - s.min).toBeLessThan(signed.max - signed.min);
    expect(s.min).toBeCloseTo(-s.max, 5); // symmetric threshold on |x|
  });

  it('handles all-zero, constant and non-finite input', () => {
    const h = new TensorHistogram();
    h.add(new Float32Array(10));
    expect(chooseRange(h, 'percentile')).toEqual({ min: 0, max: 0 });
    h.add(new Float32Array([1, Number.NaN, Number.POSITIVE_INFINITY, 2]));
    expect(h.min).toBe(0);
    expect(h.max).toBe(2);
    expect(h.count).toBe(12);
    expect(chooseRange(h, 'minmax')).toEqual({ min: 0, max: 2 });
    expect(chooseRange(new TensorHistogram(), 'mse')).toEqual({ min: 0, max: 0 });
  });
});
