/** The slice case table: reference.ts and the wasm kernel (slice.wasm.test.ts) run it. */
import { randomInt8 } from '../../../testing/random.js';
import type { PlanSlice } from '../../plan/types.js';
import { resolveSlice } from './reference.js';

export interface SliceCase {
  name: string;
  shape: number[];
  starts: number[];
  ends: number[];
  axes: number[];
  steps: number[];
}

const END = 2 ** 63;

export const SLICE_CASES: readonly SliceCase[] = [
  { name: 'option-A shortcut: every other row and column (x[:, :, ::2, ::2])', shape: [2, 20, 9, 8], starts: [0, 0], ends: [END, END], axes: [2, 3], steps: [2, 2] },
  { name: 'channel range at an unaligned offset, stride 3 columns', shape: [1, 40, 6, 10], starts: [5, 1], ends: [29, END], axes: [1, 3], steps: [1, 3] },
  { name: 'every other channel (byte path)', shape: [1, 12, 4, 4], starts: [1], ends: [END], axes: [1], steps: [2] },
  { name: 'negative steps: flipped rows and columns', shape: [1, 8, 5, 6], starts: [-1, -2], ends: [-END, 0], axes: [2, 3], steps: [-1, -2] },
  { name: '[N, C] tensor: channel window', shape: [3, 50], starts: [7], ends: [-7], axes: [1], steps: [1] },
];

/**
 * The plan op (tensor 0 -> 1), both shapes and the input of a case.
 *
 * @example
 * ```ts
 * const { op, shapes, x } = makeSliceCase(SLICE_CASES[0]);
 * ```
 */
export function makeSliceCase(c: SliceCase): { op: PlanSlice; shapes: number[][]; x: Int8Array } {
  const spec = resolveSlice(c.shape, c.starts, c.ends, c.axes, c.steps)!;
  const op: PlanSlice = { op: 'slice', name: c.name, input: 0, output: 1, starts: spec.start, steps: spec.step };
  return { op, shapes: [c.shape, spec.out], x: randomInt8(c.shape.reduce((a, b) => a * b, 1), 31) };
}
