/** Liveness-based buffer planning: tensors whose lifetimes do not overlap share memory (first-fit offsets). */

export interface ArenaRequest {
  id: number;
  bytes: number;
  /** Op index that writes it (-1: graph input). */
  first: number;
  /** Last op index that reads it. */
  last: number;
}

/**
 * Assigns a 16-byte aligned offset to every request; returns offsets by id and the arena size.
 *
 * @example
 * ```ts
 * const { offsets, size } = planArena([{ id: 0, bytes: 64, first: -1, last: 0 }, { id: 1, bytes: 64, first: 0, last: 1 }]);
 * ```
 */
export function planArena(requests: readonly ArenaRequest[]): { offsets: Map<number, number>; size: number } {
  const order = [...requests].sort((a, b) => a.first - b.first || b.bytes - a.bytes);
  const live: { start: number; end: number; last: number }[] = [];
  const offsets = new Map<number, number>();
  let size = 0;
  for (const r of order) {
    // Free blocks whose last reader ran before this tensor is written.
    for (let i = live.length - 1; i >= 0; i--) if (live[i].last < r.first) live.splice(i, 1);
    live.sort((a, b) => a.start - b.start);
    const bytes = (r.bytes + 15) & ~15;
    let at = 0;
    for (const b of live) {
      if (at + bytes <= b.start) break;
      at = Math.max(at, b.end);
    }
    live.push({ start: at, end: at + bytes, last: Math.max(r.last, r.first) });
    offsets.set(r.id, at);
    size = Math.max(size, at + bytes);
  }
  return { offsets, size };
}
