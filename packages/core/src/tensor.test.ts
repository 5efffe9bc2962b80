import { describe, expect, it } from 'vitest';
import { firstNonFinite } from './tensor.js';

describe('firstNonFinite', () => {
  it('finds the first NaN or ±Infinity, -1 when all values are finite', () => {
    expect(firstNonFinite(new Float32Array([0, -1e38, 3.4e38, -0]))).toBe(-1);
    expect(firstNonFinite(new Float32Array(0))).toBe(-1);
    expect(firstNonFinite(new Float32Array([1, NaN, Infinity]))).toBe(1);
    expect(firstNonFinite(new Float32Array([1, 2, -Infinity]))).toBe(2);
    expect(firstNonFinite([Infinity])).toBe(0);
  });
});
