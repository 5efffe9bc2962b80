/**
 * Encoded engine calls: the one table of engine functions a thread may be handed ([fnId, ...args] words, each an
 * i32; f32 arguments travel as their bits), shared by the calling thread (runCalls) and the helpers (thread-pool.ts
 * ships CALL_TABLE to them as data).
 */
import type { EngineExports } from './engine.js';

/** Engine functions by call id (the index): name, argument count, mask of f32 arguments (bit i = argument i). */
export const CALL_TABLE = [
  ['gemm_q8', 15, 0],
  ['im2row', 19, 0],
  ['im2row16', 19, 0],
  ['wino_input', 12, 0],
  ['wino_output', 15, 0],
  ['wino_output_f32', 12, 0],
  ['add_q8', 13, 0b1110000],
  ['maxpool_q8', 15, 0],
  ['avgpool_q8', 19, 1 << 16],
  ['gap_q8', 7, 1 << 4],
  ['quantize_f32', 8, 1 << 5],
  ['requant_q8', 4, 0],
  ['copy_channels', 8, 0],
  ['bias_act_f32', 7, 0],
] as const;

type CallName = (typeof CALL_TABLE)[number][0];

/** Call id of each function, for encoding: `[CALL.gemm_q8, ...args]`. */
export const CALL = Object.fromEntries(CALL_TABLE.map(([f], i) => [f, i])) as { readonly [K in CallName]: number };

/** Encoded calls: [fnId, ...args] repeated. */
export type CallList = Int32Array;

const bits = new Int32Array(1), asF32 = new Float32Array(bits.buffer);

/**
 * Encodes calls ([fnId, ...args] each; f32 arguments as numbers) into one list.
 *
 * @example
 * ```ts
 * const list = encodeCalls([[CALL.add_q8, a, b, out, n, 0.5, 0.25, 0.1, 0, 0, 0, 0, -128, 127]]);
 * ```
 */
export function encodeCalls(calls: number[][]): CallList {
  const out: number[] = [];
  for (const c of calls) {
    const [, argc, mask] = CALL_TABLE[c[0]];
    if (c.length !== argc + 1) throw new Error(`${CALL_TABLE[c[0]][0]} takes ${argc} arguments, got ${c.length - 1}`);
    out.push(c[0]);
    for (let i = 0; i < argc; i++) {
      if ((mask >> i) & 1) {
        asF32[0] = c[i + 1];
        out.push(bits[0]);
      } else out.push(c[i + 1]);
    }
  }
  return Int32Array.from(out);
}

/**
 * Runs an encoded call list on this thread.
 *
 * @example
 * ```ts
 * runCalls(engine.exports, list);
 * ```
 */
export function runCalls(exports: EngineExports, list: CallList): void {
  const fns = exports as unknown as Record<string, (...a: number[]) => void>;
  for (let i = 0; i < list.length;) {
    const [name, argc, mask] = CALL_TABLE[list[i]];
    const args = new Array<number>(argc);
    for (let k = 0; k < argc; k++) {
      const v = list[i + 1 + k];
      if ((mask >> k) & 1) {
        bits[0] = v;
        args[k] = asF32[0];
      } else args[k] = v;
    }
    fns[name](...args);
    i += 1 + argc;
  }
}

/** Number of calls in an encoded list. */
export function countCalls(list: CallList): number {
  let n = 0;
  for (let i = 0; i < list.length; i += 1 + CALL_TABLE[list[i]][1]) n++;
  return n;
}
