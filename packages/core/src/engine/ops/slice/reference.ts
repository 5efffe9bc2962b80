/** Slice: the plan op's host kernel (wasm: ./wasm.ts); the strided copy itself is ops/shared/strided.ts. */
import type { PlanSlice } from '../../plan/types.js';
import type { HostKernel } from '../shared/host-kernel.js';
import { sliceNd } from '../shared/strided.js';

export { resolveSlice, sliceNd } from '../shared/strided.js';

/** The host kernel of the plan's `slice` op (int8 or f32 NCHW arrays). */
export const sliceHost: HostKernel<PlanSlice> = (op, values, tensors) => {
  const dims = tensors[op.input].shape;
  values.set(op.output, sliceNd(values.get(op.input)!, dims, { start: op.starts, step: op.steps, out: tensors[op.output].shape }));
};
