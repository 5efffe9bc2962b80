/** Builds an op's runner from its engine calls per thread (the form threaded executors batch, kernel-api OpCalls). */
import { runCalls, type CallList } from './call-list.js';
import type { OpCalls, WasmOpContext, WasmRunner } from './kernel-api.js';
import { CALL_CAPACITY } from './thread-support.js';

/**
 * The runner of an op made of engine calls: hooks, then the calling thread's list while helpers run theirs (one
 * pool round trip), or every list on this thread where there are no helpers or a list overflows a helper's mailbox.
 *
 * @example
 * ```ts
 * return callRunner(ctx, { lists: [encodeCalls([[CALL.add_q8, ...args]])] });
 * ```
 */
export function callRunner(ctx: Pick<WasmOpContext, 'engine'>, calls: OpCalls, variant?: string): WasmRunner {
  const ex = ctx.engine.exports, pool = ctx.engine.pool;
  const { lists, pre, post } = calls;
  const local = (l: CallList) => runCalls(ex, l);
  const threaded = pool && helpersHaveWork(lists);
  const run: WasmRunner = (f32) => {
    pre?.(f32);
    if (threaded) pool.run(lists as CallList[], local);
    else for (const l of lists) runCalls(ex, l);
    post?.(f32);
  };
  run.calls = calls;
  if (variant) run.variant = variant;
  return run;
}

/** Whether a helper has calls in `lists` and every list fits a helper's mailbox (else all run on this thread). */
function helpersHaveWork(lists: readonly CallList[]): boolean {
  return lists.length > 1 && lists.slice(1).some((l) => l.length > 0) && lists.every((l) => l.length <= CALL_CAPACITY);
}

/**
 * Runs per-thread call lists built at run time (ops whose arguments change every run, e.g. ConvInteger's input zero
 * point): list 0 on this thread while helper i runs list i + 1 (one pool round trip), or all here without helpers.
 *
 * @example
 * ```ts
 * runCallLists(ctx, [encodeCalls(mine), encodeCalls(helpers)]);
 * ```
 */
export function runCallLists(ctx: Pick<WasmOpContext, 'engine'>, lists: CallList[]): void {
  const ex = ctx.engine.exports, pool = ctx.engine.pool;
  if (pool && helpersHaveWork(lists)) {
    pool.run(lists, (l) => runCalls(ex, l));
  } else for (const l of lists) runCalls(ex, l);
}

/**
 * Splits [0, n) into `parts` contiguous ranges whose starts are multiples of `align` (the last takes the rest).
 *
 * @example
 * ```ts
 * splitRange(100, 2, 16); // [[0, 48], [48, 100]]
 * ```
 */
export function splitRange(n: number, parts: number, align = 1): [number, number][] {
  const out: [number, number][] = [];
  let at = 0;
  for (let t = 0; t < parts; t++) {
    const end = t === parts - 1 ? n : Math.min(n, Math.round((n * (t + 1)) / parts / align) * align);
    out.push([at, Math.max(at, end)]);
    at = Math.max(at, end);
  }
  return out;
}

/**
 * Bands of output rows for each thread: the `n` images' `rows` rows are split evenly across `threads` first (so
 * every thread gets the same number of rows, give or take one), then each thread's share is cut at image boundaries
 * into bands of at most `maxBand` rows, of near-equal size. Splitting the band list instead left a 14-row layer as
 * 12 + 2 rows on two threads (measured: 1.12x on two cores).
 *
 * @example
 * ```ts
 * threadBands({ images: 1, rows: 14, threads: 2, maxBand: 6 }); // [[[0, 0, 4], [0, 4, 3]], [[0, 7, 4], [0, 11, 3]]]
 * ```
 */
export function threadBands(o: { images: number; rows: number; threads: number; maxBand: number }): [image: number, y: number, h: number][][] {
  const { images, rows, threads } = o, maxBand = Math.max(1, o.maxBand);
  return splitRange(images * rows, threads).map(([a, b]) => {
    const out: [number, number, number][] = [];
    for (let at = a; at < b;) {
      const img = Math.floor(at / rows), end = Math.min(b, (img + 1) * rows), len = end - at;
      const count = Math.ceil(len / maxBand);
      for (let k = 0; k < count; k++) {
        const y0 = at + Math.round((k * len) / count), y1 = at + Math.round(((k + 1) * len) / count);
        out.push([img, y0 - img * rows, y1 - y0]);
      }
      at = end;
    }
    return out;
  });
}

/**
 * How a conv's work is shared by `threads` threads: by output rows (threadBands), or, where rows split unevenly
 * (a 7-row layer is 4 + 3 on two threads: 12.5 % lost) and there are channels enough, by output channels, each
 * thread then redoing the cheap input transform (im2row or Winograd's) for all rows. Channel ranges start at
 * multiples of 16 (whole 4-channel weight blocks, 16-byte output stores).
 *
 * @example
 * ```ts
 * threadSplit({ images: 1, rows: 7, channels: 512, threads: 2 }); // { by: 'channels', ranges: [[0, 256], [256, 512]] }
 * ```
 */
export function threadSplit(o: { images: number; rows: number; channels: number; threads: number }): { by: 'rows' } | { by: 'channels'; ranges: [number, number][] } {
  const { images, rows, channels, threads } = o;
  if (threads < 2 || channels < 64 * threads) return { by: 'rows' };
  const total = images * rows, rowEfficiency = total / threads / Math.ceil(total / threads);
  return rowEfficiency < 0.9 ? { by: 'channels', ranges: splitRange(channels, threads, 16) } : { by: 'rows' };
}

/** One thread's work on a conv: bands of output rows ([image, y, h]) for output channels [c0, c1). */
export interface ThreadShare {
  bands: [image: number, y: number, h: number][];
  channels: [number, number];
}

/**
 * Each thread's share of a conv (threadSplit's choice): equal shares of the rows (threadBands) for all channels, or
 * all rows for a range of output channels. `splitChannels: false` keeps rows (ops whose output pass goes by pixels).
 *
 * @example
 * ```ts
 * threadShares({ images: 1, rows: 7, channels: 512, threads: 2, maxBand: 4 });
 * // [{ bands: [[0, 0, 4], [0, 4, 3]], channels: [0, 256] }, { bands: [[0, 0, 4], [0, 4, 3]], channels: [256, 512] }]
 * ```
 */
export function threadShares(o: { images: number; rows: number; channels: number; threads: number; maxBand: number; splitChannels?: boolean }): ThreadShare[] {
  const split = o.splitChannels === false ? { by: 'rows' as const } : threadSplit(o);
  if (split.by === 'rows') return threadBands(o).map((bands) => ({ bands, channels: [0, o.channels] }));
  const all = threadBands({ ...o, threads: 1 })[0];
  return split.ranges.map((channels) => ({ bands: all, channels }));
}
