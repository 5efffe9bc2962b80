import { describe, expect, it } from 'vitest';
import type { WasmRunner } from '../../wasm/kernel-api.js';
import { encodeSegment, planSegments } from './schedule.js';

const calls = (lists: number[][], hooks: { pre?: boolean; post?: boolean } = {}): WasmRunner => {
  const r: WasmRunner = () => {};
  r.calls = { lists: lists.map((l) => Int32Array.from(l)), ...(hooks.pre ? { pre: () => {} } : {}), ...(hooks.post ? { post: () => {} } : {}) };
  return r;
};
const host: WasmRunner = () => {};

describe('threaded schedule', () => {
  it('groups call-only ops into segments, split at host ops, before pre hooks and after post hooks', () => {
    const runners = [calls([[1]], { pre: true }), calls([[2]]), calls([[3]]), host, calls([[4]]), calls([[5]], { post: true }), calls([[6]]),
      calls([[7]], { pre: true }), calls([[8]])];
    expect(planSegments(runners)).toEqual([
      { ops: [0, 1, 2], segment: true },
      { ops: [3], segment: false },
      { ops: [4, 5], segment: true },
      { ops: [6], segment: true },
      { ops: [7, 8], segment: true },
    ]);
  });

  it("encodes each helper's steps as [steps, (words, calls...) per step], empty steps included", () => {
    const runners = [calls([[1, 2], [3, 4, 5]]), calls([[6]]), calls([[7], [], [8, 9]])];
    const { local, helperWords } = encodeSegment(runners, [0, 1, 2], 2);
    expect(local.map((l) => Array.from(l))).toEqual([[1, 2], [6], [7]]);
    expect(Array.from(helperWords[0])).toEqual([3, 3, 3, 4, 5, 0, 0]);
    expect(Array.from(helperWords[1])).toEqual([3, 0, 0, 2, 8, 9]);
  });
});
