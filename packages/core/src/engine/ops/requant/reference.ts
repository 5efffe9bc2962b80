/**
 * Requantization of a q8 tensor to new parameters (a DequantizeLinear followed by a QuantizeLinear the compiler
 * could not remove): exactly onnxruntime's f32 arithmetic, tabulated once per op (256 int8 inputs).
 */
import type { PlanRequant } from '../../plan/types.js';
import type { HostKernel } from '../shared/host-kernel.js';
import { requantTable } from '../shared/requant.js';

export { requantTable };

/** The host kernel: a table lookup per element. */
export const requantHost: HostKernel<PlanRequant> = (op, values) => {
  const x = values.get(op.input) as Int8Array;
  values.set(op.output, Int8Array.from(x, (q) => op.table[q + 128]));
};
