/**
 * The threaded executor's schedule: consecutive ops made of engine calls (WasmRunner.calls) form segments that the
 * helpers run start to finish with a barrier between ops (EngineThreadPool.runSegment), so helpers stay busy across
 * layers and a run wakes them once per segment instead of once per op. A segment ends at an op without calls (a host
 * or JS op), after an op with a `post` hook (its float output is read on this thread), and before an op with a `pre`
 * hook (pre hooks of a segment run before it starts; staging is shared, so one per segment).
 */
import type { CallList } from '../../wasm/call-list.js';
import type { WasmRunner } from '../../wasm/kernel-api.js';

/** Runs of op indices: a segment (ops with calls) or a single op run by its own runner. */
export interface ScheduleGroup {
  ops: number[];
  segment: boolean;
}

/**
 * Groups the plan's ops (by their runners) into segments and single ops.
 *
 * @example
 * ```ts
 * planSegments(runners); // [{ ops: [0, 1, ..., 60], segment: true }, { ops: [61], segment: false }]
 * ```
 */
export function planSegments(runners: readonly WasmRunner[]): ScheduleGroup[] {
  const groups: ScheduleGroup[] = [];
  let open: ScheduleGroup | undefined;
  runners.forEach((r, i) => {
    if (!r.calls) {
      open = undefined;
      groups.push({ ops: [i], segment: false });
      return;
    }
    if (!open || r.calls.pre) {
      open = { ops: [], segment: true };
      groups.push(open);
    }
    open.ops.push(i);
    if (r.calls.post) open = undefined;
  });
  return groups;
}

/**
 * One segment's calls, step by step: the calling thread's lists, and each helper's words as the pool reads them from
 * wasm memory ([steps, (words, calls...) per step]).
 *
 * @example
 * ```ts
 * const { local, helperWords } = encodeSegment(runners, group.ops, 1);
 * ```
 */
export function encodeSegment(runners: readonly WasmRunner[], ops: readonly number[], helpers: number): { local: CallList[]; helperWords: Int32Array[] } {
  const empty = new Int32Array(0);
  const local = ops.map((i) => runners[i].calls!.lists[0] ?? empty);
  const helperWords = Array.from({ length: helpers }, (_, h) => {
    const lists = ops.map((i) => runners[i].calls!.lists[h + 1] ?? empty);
    const words = new Int32Array(1 + lists.reduce((n, l) => n + 1 + l.length, 0));
    words[0] = lists.length;
    let at = 1;
    for (const l of lists) {
      words[at++] = l.length;
      words.set(l, at);
      at += l.length;
    }
    return words;
  });
  return { local, helperWords };
}
