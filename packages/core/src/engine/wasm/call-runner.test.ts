import { describe, expect, it } from 'vitest';
import { splitRange, threadBands, threadShares, threadSplit } from './call-runner.js';

describe('splitRange', () => {
  it('aligns starts and gives the rest to the last part', () => {
    expect(splitRange(100, 2, 16)).toEqual([[0, 48], [48, 100]]);
    expect(splitRange(3, 4)).toEqual([[0, 1], [1, 2], [2, 2], [2, 3]]);
  });
});

describe('threadBands', () => {
  const rowsOf = (share: [number, number, number][]) => share.reduce((n, [, , h]) => n + h, 0);

  it('gives every thread the same rows (the 14-row layer that was split 12 + 2)', () => {
    const shares = threadBands({ images: 1, rows: 14, threads: 2, maxBand: 6 });
    expect(shares).toEqual([[[0, 0, 4], [0, 4, 3]], [[0, 7, 4], [0, 11, 3]]]);
  });

  it('covers every row of every image exactly once, bands within maxBand, shares within one row', () => {
    for (const images of [1, 2, 3]) for (const rows of [1, 2, 7, 14, 28, 56, 112]) for (const threads of [1, 2, 3, 4]) for (const maxBand of [1, 3, 6, 200]) {
      const shares = threadBands({ images, rows, threads, maxBand });
      expect(shares).toHaveLength(threads);
      const seen = new Uint8Array(images * rows);
      for (const share of shares) for (const [img, y, h] of share) {
        expect(h).toBeGreaterThan(0);
        expect(h).toBeLessThanOrEqual(maxBand);
        expect(y + h).toBeLessThanOrEqual(rows);
        for (let r = y; r < y + h; r++) seen[img * rows + r]++;
      }
      expect([...seen].every((c) => c === 1)).toBe(true);
      const sizes = shares.map(rowsOf);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });
});

describe('threadSplit', () => {
  it('splits rows where they divide evenly, output channels where they do not', () => {
    expect(threadSplit({ images: 1, rows: 14, channels: 256, threads: 2 })).toEqual({ by: 'rows' });
    expect(threadSplit({ images: 1, rows: 7, channels: 512, threads: 2 })).toEqual({ by: 'channels', ranges: [[0, 256], [256, 512]] });
    expect(threadSplit({ images: 2, rows: 7, channels: 512, threads: 2 })).toEqual({ by: 'rows' });
    // Too few channels to share: rows, even if uneven.
    expect(threadSplit({ images: 1, rows: 7, channels: 64, threads: 2 })).toEqual({ by: 'rows' });
    expect(threadSplit({ images: 1, rows: 7, channels: 512, threads: 1 })).toEqual({ by: 'rows' });
  });
});

describe('threadShares', () => {
  it('gives rows with all channels, or all rows with a channel range each', () => {
    expect(threadShares({ images: 1, rows: 14, channels: 256, threads: 2, maxBand: 6 })).toEqual([
      { bands: [[0, 0, 4], [0, 4, 3]], channels: [0, 256] }, { bands: [[0, 7, 4], [0, 11, 3]], channels: [0, 256] },
    ]);
    const all: [number, number, number][] = [[0, 0, 4], [0, 4, 3]];
    expect(threadShares({ images: 1, rows: 7, channels: 512, threads: 2, maxBand: 4 })).toEqual([
      { bands: all, channels: [0, 256] }, { bands: all, channels: [256, 512] },
    ]);
    expect(threadShares({ images: 1, rows: 7, channels: 512, threads: 2, maxBand: 4, splitChannels: false }).map((s) => s.channels)).toEqual([[0, 512], [0, 512]]);
  });
});
