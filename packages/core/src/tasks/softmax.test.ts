import { describe, expect, it } from 'vitest';
import { softmax } from './softmax.js';
import { topK } from './top-k.js';
import { toClassifications } from './classify.js';

describe('softmax', () => {
  it('matches the closed form and sums to 1', () => {
    const p = softmax([1, 2, 3]);
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const s = e[0] + e[1] + e[2];
    e.forEach((v, i) => expect(p[i]).toBeCloseTo(v / s, 6));
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });
  it('is stable for huge logits', () => {
    const p = softmax([1000, 1001]);
    expect(Number.isFinite(p[0])).toBe(true);
    expect(p[1]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
  });
});

describe('topK', () => {
  it('orders by value, ties by index', () => {
    expect(topK({ values: [0.1, 0.7, 0.2, 0.7], k: 3 })).toEqual([1, 3, 2]);
  });
  it('clamps k', () => {
    expect(topK({ values: [1, 2], k: 10 })).toEqual([1, 0]);
    expect(topK({ values: [1, 2], k: 0 })).toEqual([]);
  });
});

describe('toClassifications', () => {
  it('returns labelled probabilities', () => {
    const r = toClassifications({ output: [0, 0, 10], labels: ['a', 'b', 'c'], kind: 'logits', topK: 2 });
    expect(r[0].label).toBe('c');
    expect(r[0].score).toBeGreaterThan(0.99);
    expect(r).toHaveLength(2);
  });
  it('rejects a label/output mismatch with a typed error', () => {
    expect(() => toClassifications({ output: [1, 2], labels: ['a'], kind: 'logits', topK: 1 })).toThrow(
      expect.objectContaining({ code: 'INFERENCE_FAILED' }),
    );
  });
});
