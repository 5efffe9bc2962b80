import { describe, expect, it } from 'vitest';
import { planArena } from './arena.js';

describe('planArena (liveness-based buffer reuse)', () => {
  it('reuses memory of dead tensors and never overlaps live ones', () => {
    // A chain a -> b -> c -> d plus a skip tensor s live from op 0 to op 3 (like a residual).
    const reqs = [
      { id: 0, bytes: 1000, first: -1, last: 0 },
      { id: 1, bytes: 1000, first: 0, last: 1 },
      { id: 2, bytes: 500, first: 0, last: 3 },
      { id: 3, bytes: 1000, first: 1, last: 2 },
      { id: 4, bytes: 1000, first: 2, last: 3 },
      { id: 5, bytes: 1000, first: 3, last: 4 },
    ];
    const { offsets, size } = planArena(reqs);
    expect(size).toBeLessThan(reqs.reduce((s, r) => s + r.bytes, 0));
    for (const a of reqs) for (const b of reqs) {
      if (a.id >= b.id) continue;
      const overlapTime = a.first <= b.last && b.first <= a.last;
      const oa = offsets.get(a.id)!, ob = offsets.get(b.id)!;
      const overlapSpace = oa < ob + b.bytes && ob < oa + a.bytes;
      expect(overlapTime && overlapSpace, `tensors ${a.id} and ${b.id}`).toBe(false);
    }
    for (const o of offsets.values()) expect(o % 16).toBe(0);
  });
});
