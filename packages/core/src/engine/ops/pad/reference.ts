/** Pad: the plan op's host kernel (wasm: ./wasm.ts); the padding loop itself is ops/shared/strided.ts. */
import type { PlanPad } from '../../plan/types.js';
import type { HostKernel } from '../shared/host-kernel.js';
import { padNd } from '../shared/strided.js';

export { padNd, resolvePads } from '../shared/strided.js';

/** The host kernel of the plan's `pad` op (int8 or f32 NCHW arrays, constant mode). */
export const padHost: HostKernel<PlanPad> = (op, values, tensors) => {
  const dims = tensors[op.input].shape;
  values.set(op.output, padNd(values.get(op.input)!, dims, { begin: op.begin, end: op.end }, 'constant', op.value));
};
