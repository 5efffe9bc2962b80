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
  const threaded = pool && lists.length > 1 && lists.slice(1).some((l) => l.length) && lists.every((l) => l.length <= CALL_CAPACITY);
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
