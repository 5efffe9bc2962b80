/** Reshape (Flatten, Reshape, QLinearMatMul's 2-D views): logical NCHW order is kept, so on the host it is an alias. */
import type { PlanReshape } from '../../plan/types.js';
import type { HostKernel } from '../shared/host-kernel.js';

/** The host kernel: the output is the input's array. */
export const reshapeHost: HostKernel<PlanReshape> = (op, values) => {
  values.set(op.output, values.get(op.input)!);
};
