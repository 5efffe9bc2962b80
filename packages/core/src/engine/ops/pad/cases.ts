/** The pad case table: reference.ts and the wasm kernel (pad.wasm.test.ts) run it. */
import { randomInt8 } from '../../../testing/random.js';
import type { PlanPad } from '../../plan/types.js';

export interface PadCase {
  name: string;
  shape: number[];
  begin: number[];
  end: number[];
  value: number;
}

export const PAD_CASES: readonly PadCase[] = [
  { name: 'option-A channel zero-padding (16 -> 32 channels, zero point -128)', shape: [2, 16, 8, 8], begin: [0, 8, 0, 0], end: [0, 8, 0, 0], value: -128 },
  { name: 'spatial padding on an unaligned channel count', shape: [1, 5, 4, 6], begin: [0, 0, 2, 1], end: [0, 0, 1, 3], value: 7 },
  { name: 'channels and space together, crossing the 16-channel stride', shape: [1, 14, 3, 3], begin: [0, 3, 1, 1], end: [0, 4, 1, 1], value: 0 },
  { name: '[N, C] tensor', shape: [3, 10], begin: [0, 2], end: [0, 5], value: -3 },
];

/**
 * The plan op (tensor 0 -> 1), both shapes and the input of a case.
 *
 * @example
 * ```ts
 * const { op, shapes, x } = makePadCase(PAD_CASES[0]);
 * ```
 */
export function makePadCase(c: PadCase): { op: PlanPad; shapes: number[][]; x: Int8Array } {
  const op: PlanPad = { op: 'pad', name: c.name, input: 0, output: 1, begin: c.begin, end: c.end, value: c.value };
  const out = c.shape.map((d, i) => d + c.begin[i] + c.end[i]);
  return { op, shapes: [c.shape, out], x: randomInt8(c.shape.reduce((a, b) => a * b, 1), 33) };
}
